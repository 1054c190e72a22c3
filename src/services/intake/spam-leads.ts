import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Actor } from '../../context';
import { NEWEST_FIRST, pageWithTotal } from '../../crud/count-matches';
import { UUID } from '../../crud/filter/values';
import type { CrudServices } from '../../crud/services';
import type { AnyModel } from '../../db/models';
import { ForbiddenError, InvalidQueryError, NotFoundError } from '../../errors';
import type { Values } from '../../schema/entity';
import { presentScreening } from './present';

const MAX_DAYS = 366;

/**
 * The leads screening held as spam, for managers and admins: look at them with their reasons, release one
 * (it becomes a lead, created as the person releasing it) or delete it; and the intake figures.
 */
export class SpamLeads {
  constructor(
    private readonly crud: CrudServices,
    private readonly sequelize: Sequelize,
    private readonly screenings: AnyModel,
    /** The held list's total counts at most this many (LIST_COUNT_LIMIT); 0 counts them all. */
    private readonly countLimit: number,
  ) {}

  async list(
    actor: Actor,
    page: { limit: number; offset: number },
  ): Promise<{ items: Values[]; total: number; totalExact: boolean }> {
    this.guard(actor);
    // Spam arrives by the thousand when a form is attacked: the total is bounded like a list's.
    const { rows, total } = await pageWithTotal(
      this.screenings,
      { where: { organization_id: actor.organizationId, verdict: 'spam' }, order: NEWEST_FIRST, ...page },
      this.countLimit,
    );
    return { items: rows.map(presentScreening), total: total.n, totalExact: total.exact };
  }

  async get(actor: Actor, id: string): Promise<Values> {
    this.guard(actor);
    return presentScreening(await this.held(actor, id));
  }

  /** Creates the lead from what was submitted and marks the screening released, in one transaction. */
  async release(actor: Actor, id: string): Promise<{ lead: Values; screening: Values }> {
    this.guard(actor);
    return this.sequelize.transaction(async (transaction) => {
      const held = await this.held(actor, id, transaction);
      const payload = (held.payload ?? {}) as { values?: Values; assign?: Values };
      const lead = await this.crud
        .for(actor, 'Lead', { unknownFields: 'ignore' })
        .create(payload.values ?? {}, { transaction, assign: payload.assign ?? {}, screened: true });
      await this.screenings.update(
        { verdict: 'released', lead_id: lead.id, released_by: actor.userId },
        { where: { id: held.id as string }, transaction },
      );
      const screening = presentScreening({
        ...held,
        verdict: 'released',
        lead_id: lead.id,
        released_by: actor.userId,
      });
      return { lead, screening };
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.guard(actor);
    await this.sequelize.transaction(async (transaction) => {
      const held = await this.held(actor, id, transaction);
      await this.screenings.destroy({ where: { id: held.id as string }, transaction });
    });
  }

  /** Daily volume and spam (held, including later released) over the last `days` days, and the top reasons. */
  async stats(actor: Actor, daysParam: unknown): Promise<Values> {
    this.guard(actor);
    const days = daysParam === undefined ? 30 : Number(daysParam);
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)
      throw new InvalidQueryError(`"days" must be a whole number from 1 to ${MAX_DAYS}`, [
        { field: 'days', message: `got ${JSON.stringify(daysParam)}` },
      ]);
    const replacements = { org: actor.organizationId, days };
    const window = `organization_id = :org AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => :days - 1)`;
    const daily = await this.sequelize.query<{ day: string; total: string; spam: string }>(
      `SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
              count(*) AS total, count(*) FILTER (WHERE verdict <> 'clean') AS spam
         FROM lead_screenings WHERE ${window} GROUP BY 1 ORDER BY 1`,
      { replacements, type: QueryTypes.SELECT },
    );
    const reasons = await this.sequelize.query<{ reason: string; count: string }>(
      `SELECT reason, count(*) AS count FROM lead_screenings, unnest(reasons) AS reason
        WHERE ${window} AND verdict <> 'clean' GROUP BY reason ORDER BY count(*) DESC, reason LIMIT 10`,
      { replacements, type: QueryTypes.SELECT },
    );
    const rows = daily.map((d) => ({ date: d.day, total: Number(d.total), spam: Number(d.spam) }));
    const total = rows.reduce((n, d) => n + d.total, 0);
    const spam = rows.reduce((n, d) => n + d.spam, 0);
    return {
      days,
      total,
      spam,
      clean: total - spam,
      spam_rate: total ? Math.round((spam / total) * 10_000) / 10_000 : 0,
      daily: rows.map((d) => ({
        ...d,
        clean: d.total - d.spam,
        spam_rate: Math.round((d.spam / d.total) * 10_000) / 10_000,
      })),
      top_reasons: reasons.map((r) => ({ reason: r.reason, count: Number(r.count) })),
    };
  }

  private guard(actor: Actor): void {
    if (actor.apiKey)
      throw new ForbiddenError('API keys cannot review screened leads: sign in as a manager or admin');
    if (actor.role !== 'admin' && actor.role !== 'manager')
      throw new ForbiddenError('Only managers and admins review screened leads');
  }

  private async held(actor: Actor, id: string, transaction?: Transaction): Promise<Values> {
    const row = UUID.test(id)
      ? ((await this.screenings.findOne({
          where: { id: id.toLowerCase(), organization_id: actor.organizationId, verdict: 'spam' },
          raw: true,
          transaction,
          ...(transaction ? { lock: transaction.LOCK.UPDATE } : {}),
        })) as Values | null)
      : null;
    if (!row) throw new NotFoundError(`No lead held as spam with id ${JSON.stringify(id)}`);
    return row;
  }
}
