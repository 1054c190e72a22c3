import Joi from 'joi';
import { Op, type WhereOptions } from 'sequelize';
import type { Actor } from '../../context';
import type { CrudServices } from '../../crud/services';
import { UUID } from '../../crud/filter/values';
import { validate } from '../../crud/validation';
import type { AnyModel } from '../../db/models';
import { fromDatabaseError } from '../../db/errors';
import { GOAL_PERIODS, METRICS, type GoalPeriod, type Metric } from '../../entities/goal';
import { ForbiddenError, NotFoundError } from '../../errors';
import { metricFigures } from './figures';
import { organizationReader, type People } from './people';
import { periodContaining } from './periods';

interface GoalRow {
  id: string;
  organization_id: string;
  user_id: string;
  metric: Metric;
  period: GoalPeriod;
  target: string;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const MAX_TARGET = 1e13 - 0.01;
const createSchema = Joi.object({
  user_id: Joi.string().guid().required(),
  metric: Joi.string()
    .valid(...METRICS)
    .required(),
  period: Joi.string()
    .valid(...GOAL_PERIODS)
    .required(),
  target: Joi.number().min(0).max(MAX_TARGET).precision(2).required(),
});
const updateSchema = Joi.object({ target: Joi.number().min(0).max(MAX_TARGET).precision(2).required() });
const listSchema = Joi.object({
  user_id: Joi.string().guid(),
  metric: Joi.string().valid(...METRICS),
  period: Joi.string().valid(...GOAL_PERIODS),
  at: Joi.date().iso(),
  page: Joi.number().integer().min(1).default(1),
  limit: Joi.number().integer().min(1).max(100).default(50),
});

/**
 * Sales targets per person, metric and period kind, with progress counted from the records of the current
 * period (or the one containing `at`). Admins set anyone's goals, managers their team's; everyone sees the
 * goals of the people whose figures they may see (see People.visibleTo).
 */
export class Goals {
  constructor(
    private readonly goals: AnyModel,
    private readonly crud: CrudServices,
    private readonly people: People,
  ) {}

  async list(actor: Actor, query: unknown, now: Date) {
    const q = validate(listSchema, query as Record<string, unknown>, {
      entityName: 'goal query',
      stripUnknown: false,
    }) as { user_id?: string; metric?: Metric; period?: GoalPeriod; at?: Date; page: number; limit: number };
    const asked = Object.fromEntries(
      (['user_id', 'metric', 'period'] as const).filter((k) => q[k]).map((k) => [k, q[k]]),
    );
    const where: WhereOptions = { [Op.and]: [await this.visibleWhere(actor), asked] };
    const { rows, count } = await this.goals.findAndCountAll({
      where,
      order: [
        ['user_id', 'ASC'],
        ['metric', 'ASC'],
        ['period', 'ASC'],
      ],
      limit: q.limit,
      offset: (q.page - 1) * q.limit,
      raw: true,
    });
    const goals = await this.withProgress(actor, rows as unknown as GoalRow[], q.at ?? now);
    return { goals, page: q.page, limit: q.limit, total: count };
  }

  async get(actor: Actor, id: string, now: Date) {
    const [goal] = await this.withProgress(actor, [await this.visible(actor, id)], now);
    return goal!;
  }

  async create(actor: Actor, body: unknown, now: Date) {
    this.refuseNonManagers(actor);
    const input = validate(createSchema, (body ?? {}) as Record<string, unknown>, {
      entityName: 'goal',
      stripUnknown: false,
    }) as { user_id: string; metric: Metric; period: GoalPeriod; target: number };
    const user = await this.people.findActive(actor, input.user_id);
    if (!user) {
      throw new NotFoundError(`No active user with id ${input.user_id} in your organization`, [
        { field: 'user_id', message: 'not an active user of your organization' },
      ]);
    }
    await this.refuseOutsideTeam(actor, input.user_id);
    const created = await this.guarded(() =>
      this.goals.create({ ...input, organization_id: actor.organizationId, created_by: actor.userId }),
    );
    return this.get(actor, created.get('id') as string, now);
  }

  async update(actor: Actor, id: string, body: unknown, now: Date) {
    this.refuseNonManagers(actor);
    const input = validate(updateSchema, (body ?? {}) as Record<string, unknown>, {
      entityName: 'goal change',
      stripUnknown: false,
    });
    const goal = await this.visible(actor, id);
    await this.refuseOutsideTeam(actor, goal.user_id);
    await this.goals.update(input, { where: { id: goal.id } });
    return this.get(actor, id, now);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.refuseNonManagers(actor);
    const goal = await this.visible(actor, id);
    await this.refuseOutsideTeam(actor, goal.user_id);
    await this.goals.destroy({ where: { id: goal.id } });
  }

  private refuseNonManagers(actor: Actor): void {
    if (actor.apiKey)
      throw new ForbiddenError('Goals are set by signed-in managers and admins, not with an API key');
    if (actor.role !== 'admin' && actor.role !== 'manager')
      throw new ForbiddenError('Only managers and admins set goals');
  }

  private async refuseOutsideTeam(actor: Actor, userId: string): Promise<void> {
    const visible = await this.people.visibleTo(actor);
    if (visible !== 'all' && !visible.has(userId))
      throw new ForbiddenError('Managers set goals for themselves and the people who report to them');
  }

  private async visibleWhere(actor: Actor): Promise<WhereOptions> {
    const visible = await this.people.visibleTo(actor);
    return {
      organization_id: actor.organizationId,
      ...(visible === 'all' ? {} : { user_id: { [Op.in]: [...visible] } }),
    };
  }

  private async visible(actor: Actor, id: string): Promise<GoalRow> {
    const row = UUID.test(id)
      ? ((await this.goals.findOne({
          where: { ...(await this.visibleWhere(actor)), id },
          raw: true,
        })) as unknown as GoalRow | null)
      : null;
    if (!row) throw new NotFoundError(`No goal with id ${JSON.stringify(id)}`);
    return row;
  }

  /** One GROUP BY per metric and period kind among the goals, for all their people at once. */
  private async withProgress(actor: Actor, rows: GoalRow[], at: Date) {
    const reader = organizationReader(actor);
    const groups = new Map<string, GoalRow[]>();
    for (const row of rows) {
      const key = `${row.metric}/${row.period}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const values = new Map<string, number>();
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const { metric, period } = group[0]!;
        const figures = await metricFigures(
          this.crud,
          reader,
          metric,
          [...new Set(group.map((g) => g.user_id))],
          periodContaining(period, at),
        );
        for (const goal of group) values.set(goal.id, figures.get(goal.user_id) ?? 0);
      }),
    );
    return rows.map((row) => {
      const range = periodContaining(row.period, at);
      const target = Number(row.target);
      const value = values.get(row.id) ?? 0;
      return {
        id: row.id,
        user_id: row.user_id,
        metric: row.metric,
        period: row.period,
        target,
        created_by: row.created_by,
        created_at: new Date(row.created_at).toISOString(),
        updated_at: new Date(row.updated_at).toISOString(),
        progress: {
          from: range.from.toISOString(),
          to: range.to.toISOString(),
          value,
          ratio: target > 0 ? Math.round((value / target) * 10_000) / 10_000 : null,
          achieved: value >= target,
        },
      };
    });
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw fromDatabaseError(err, 'Goal') ?? err;
    }
  }
}

/** The request schemas, for the OpenAPI document (src/http/openapi). */
export { createSchema as goalCreateSchema, updateSchema as goalUpdateSchema, listSchema as goalListSchema };
