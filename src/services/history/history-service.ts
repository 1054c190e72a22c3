import { Op, type WhereOptions } from 'sequelize';
import type { Actor } from '../../context';
import { NEWEST_FIRST, pageWithTotal } from '../../crud/count-matches';
import { rolePolicy } from '../../crud/policy';
import type { EntityRegistry, EntityRuntime } from '../../crud/registry';
import type { CrudServices } from '../../crud/services';
import type { AnyModel } from '../../db/models';
import { ForbiddenError, InvalidQueryError } from '../../errors';
import { snakeCase } from '../../schema/naming';

type Values = Record<string, unknown>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TimelineItem {
  kind: string;
  at: string;
  id: string;
  /** The record (activities, tasks, calls, …) or the change (kind `change`). */
  data: Values;
}

const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function decode<T>(cursor: string): T {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    throw new InvalidQueryError('The cursor is malformed: pass back the next_cursor of a previous page');
  }
}

/**
 * A record's past: its audit entries, and its timeline — the activities, tasks, calls, meetings, emails
 * and documents linked to it, with its history, in one time-ordered feed. Every source is read through the
 * caller's own CrudService, so the feed shows only what the caller may see.
 */
export class HistoryService {
  constructor(
    private readonly crud: CrudServices,
    private readonly registry: EntityRegistry,
    private readonly entries: AnyModel,
    /** The audit log's total counts at most this many entries (LIST_COUNT_LIMIT); 0 counts them all. */
    private readonly countLimit: number,
  ) {}

  /** Changes unreadable to the actor's role are not shown; neither is their presence. */
  private visibleChanges(rt: EntityRuntime | undefined, actor: Actor, changes: Values): Values {
    const unreadable = new Set(rt ? (rolePolicy(rt.decl, actor).unreadable ?? []) : []);
    return Object.fromEntries(Object.entries(changes).filter(([field]) => !unreadable.has(field)));
  }

  private present(entry: Values, actor: Actor): Values {
    return {
      id: entry.id,
      entity: entry.entity,
      record_id: entry.record_id,
      action: entry.action,
      actor_id: entry.actor_id,
      actor_email: entry.actor_email,
      api_key_id: entry.api_key_id,
      changes: this.visibleChanges(
        this.registry.byName(entry.entity as string),
        actor,
        entry.changes as Values,
      ),
      created_at: (entry.created_at as Date).toISOString(),
    };
  }

  /** A record's changes, newest first; 404 when the caller cannot see the record. */
  async history(actor: Actor, entity: string, recordId: string, page: { limit: number; offset: number }) {
    await this.crud.for(actor, entity).get(recordId);
    const where = { organization_id: actor.organizationId, entity, record_id: recordId };
    const { rows, count } = await this.entries.findAndCountAll({
      where,
      order: [
        ['created_at', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: page.limit,
      offset: page.offset,
      raw: true,
    });
    return { items: (rows as unknown as Values[]).map((e) => this.present(e, actor)), total: count };
  }

  /** The organization's audit log, for administrators. */
  async auditLog(
    actor: Actor,
    q: {
      entity?: string;
      recordId?: string;
      actorId?: string;
      action?: string;
      from?: Date;
      to?: Date;
      limit: number;
      offset: number;
    },
  ) {
    if (actor.role !== 'admin' || actor.apiKey)
      throw new ForbiddenError('Only administrators read the audit log');
    const where: WhereOptions = {
      organization_id: actor.organizationId,
      ...(q.entity ? { entity: q.entity } : {}),
      ...(q.recordId ? { record_id: q.recordId } : {}),
      ...(q.actorId ? { actor_id: q.actorId } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.from || q.to
        ? { created_at: { ...(q.from ? { [Op.gte]: q.from } : {}), ...(q.to ? { [Op.lt]: q.to } : {}) } }
        : {}),
    };
    const { rows, total } = await pageWithTotal(
      this.entries,
      { where, order: NEWEST_FIRST, limit: q.limit, offset: q.offset },
      this.countLimit,
    );
    return { items: rows.map((e) => this.present(e, actor)), total: total.n, totalExact: total.exact };
  }

  private mayRead(svc: ReturnType<CrudServices['for']>): boolean {
    try {
      svc.authorize('read');
      return true;
    } catch {
      return false;
    }
  }

  /** Entities that can be linked to any record, with the time each is placed at on a timeline. */
  private sources(): { rt: EntityRuntime; time: string; kind: string }[] {
    return this.registry
      .all()
      .filter((rt) => rt.decl.fields.related_type && rt.decl.fields.related_id)
      .map((rt) => {
        const sorted = rt.decl.defaultSort.replace(/^-/, '');
        const time = rt.decl.fields[sorted]?.spec.kind === 'timestamp' ? sorted : 'created_at';
        return { rt, time, kind: snakeCase(rt.decl.name) };
      });
  }

  /**
   * Newest first. The cursor holds the time reached and the ids already shown at that exact time, so items
   * sharing a timestamp are neither repeated nor skipped across pages.
   */
  async timeline(
    actor: Actor,
    entity: string,
    recordId: string,
    q: { limit: number; cursor?: string },
  ): Promise<Page<TimelineItem>> {
    const record = await this.crud.for(actor, entity).get(recordId);
    const after = q.cursor ? decode<{ at: string; seen: string[] }>(q.cursor) : undefined;
    const upTo = after ? { $lte: after.at } : undefined;
    const fetch = q.limit + (after?.seen.length ?? 0);
    const items: TimelineItem[] = [];

    for (const { rt, time, kind } of this.sources()) {
      const svc = this.crud.for(actor, rt);
      if (!this.mayRead(svc)) continue;
      const { rows } = await svc.list({
        filter: { related_type: snakeCase(entity), related_id: record.id, ...(upTo ? { [time]: upTo } : {}) },
        sort: `-${time}`,
        limit: fetch,
      });
      for (const row of rows)
        items.push({ kind, at: String(row[time] ?? row.created_at), id: row.id as string, data: row });
    }
    const changes = await this.entries.findAll({
      where: {
        organization_id: actor.organizationId,
        entity,
        record_id: record.id,
        ...(after ? { created_at: { [Op.lte]: new Date(after.at) } } : {}),
      },
      order: [['created_at', 'DESC']],
      limit: fetch,
      raw: true,
    });
    for (const e of changes as unknown as Values[]) {
      const presented = this.present(e, actor);
      items.push({ kind: 'change', at: presented.created_at as string, id: e.id as string, data: presented });
    }

    const seen = new Set(after?.seen ?? []);
    const ordered = items
      .filter((i) => !seen.has(i.id))
      .sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
    const page = ordered.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor =
      ordered.length > q.limit && last
        ? encode({
            at: last.at,
            seen: [
              ...(last.at === after?.at ? seen : []),
              ...page.filter((i) => i.at === last.at).map((i) => i.id),
            ],
          })
        : null;
    return { items: page, nextCursor };
  }
}
