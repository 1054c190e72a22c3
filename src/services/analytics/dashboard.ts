import type { Actor } from '../../context';
import { MAX_GROUPS, parseAggregateSpec } from '../../crud/aggregate';
import type { CrudService } from '../../crud/crud-service';
import type { CrudServices } from '../../crud/services';
import { PRIORITIES } from '../../entities/common';
import { DEAL_STAGES } from '../../entities/deal';
import { LEAD_STATUSES } from '../../entities/lead';
import { buckets, DAY_MS, rangeFilter, startOfUtcDay, type Range } from './periods';
import { readableService } from './readable';

type Row = Record<string, unknown>;

const CLOSED_STAGES = ['closed_won', 'closed_lost'];
const OPEN_STAGES = DEAL_STAGES.filter((s) => !CLOSED_STAGES.includes(s));
const DONE_TICKETS = ['resolved', 'closed'];
const DONE_TASKS = ['completed', 'cancelled'];

const zeroFilled = (keys: readonly string[], rows: Row[], key: string, value = 'count') => {
  const out: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const row of rows) out[row[key] as string] = Number(row[value] ?? 0);
  return out;
};
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

const aggregate = async (service: CrudService, spec: Record<string, unknown>) =>
  (await service.aggregate(parseAggregateSpec({ limit: MAX_GROUPS, ...spec }))).rows;

/**
 * The morning dashboard. Every figure is a GROUP BY through the caller's CrudService, so it counts only
 * records of their organization within their role's reach; a section whose entity the role cannot read is
 * null. Period figures (leads by status and source, conversion, new leads per day, won revenue per month)
 * cover `range`; the pipeline, open tickets and due tasks are as of now. Days and months are UTC.
 */
export class Dashboard {
  constructor(private readonly crud: CrudServices) {}

  async build(actor: Actor, range: Range, now: Date) {
    const readable = (entity: string) => readableService(this.crud, actor, entity);
    const [leads, deals, tickets, tasks] = await Promise.all([
      this.leads(readable('Lead'), range),
      this.deals(readable('Deal'), range),
      this.tickets(readable('Ticket')),
      this.tasks(readable('Task'), now),
    ]);
    return {
      period: { from: range.from.toISOString(), to: range.to.toISOString() },
      leads,
      deals,
      tickets,
      tasks,
    };
  }

  private async leads(service: CrudService | null, range: Range) {
    if (!service) return null;
    const filter = rangeFilter('created_at', range);
    const [byStatus, bySource, perDay] = await Promise.all([
      aggregate(service, { filter, groupBy: ['status'] }),
      aggregate(service, { filter, groupBy: ['source'], sort: '-count' }),
      aggregate(service, { filter, dateBucket: { field: 'created_at', unit: 'day', as: 'date' } }),
    ]);
    const by_status = zeroFilled(LEAD_STATUSES, byStatus, 'status');
    const total = Object.values(by_status).reduce((a, b) => a + b, 0);
    const converted = by_status.converted ?? 0;
    const days = zeroFilled(buckets(range, 'day'), perDay, 'date');
    return {
      total,
      by_status,
      by_source: Object.fromEntries(bySource.map((r) => [r.source ?? 'unknown', r.count])),
      converted,
      conversion_rate: total ? round(converted / total, 4) : 0,
      new_per_day: Object.entries(days).map(([date, count]) => ({ date: date.slice(0, 10), count })),
    };
  }

  private async deals(service: CrudService | null, range: Range) {
    if (!service) return null;
    const [pipeline, won] = await Promise.all([
      aggregate(service, {
        filter: { stage: { $in: OPEN_STAGES } },
        groupBy: ['stage'],
        sum: ['amount'],
      }),
      aggregate(service, {
        filter: { stage: 'closed_won', ...rangeFilter('actual_close_date', range) },
        dateBucket: { field: 'actual_close_date', unit: 'month', as: 'month' },
        sum: ['amount'],
      }),
    ]);
    const count = zeroFilled(OPEN_STAGES, pipeline, 'stage');
    const amount = zeroFilled(OPEN_STAGES, pipeline, 'stage', 'sum_amount');
    const wonCount = zeroFilled(buckets(range, 'month'), won, 'month');
    const wonAmount = zeroFilled(buckets(range, 'month'), won, 'month', 'sum_amount');
    return {
      pipeline_by_stage: OPEN_STAGES.map((stage) => ({ stage, count: count[stage], amount: amount[stage] })),
      pipeline_total: round(
        Object.values(amount).reduce((a, b) => a + b, 0),
        2,
      ),
      won_revenue_by_month: Object.keys(wonCount).map((month) => ({
        month: month.slice(0, 7),
        deals: wonCount[month],
        amount: wonAmount[month],
      })),
    };
  }

  private async tickets(service: CrudService | null) {
    if (!service) return null;
    const rows = await aggregate(service, {
      filter: { status: { $nin: DONE_TICKETS } },
      groupBy: ['priority'],
    });
    const open_by_priority = zeroFilled(PRIORITIES, rows, 'priority');
    return { open: Object.values(open_by_priority).reduce((a, b) => a + b, 0), open_by_priority };
  }

  private async tasks(service: CrudService | null, now: Date) {
    if (!service) return null;
    const today = startOfUtcDay(now);
    const pending = { status: { $nin: DONE_TASKS } };
    const [dueToday, overdue] = await Promise.all([
      service.count({
        filter: {
          ...pending,
          ...rangeFilter('due_date', { from: today, to: new Date(today.getTime() + DAY_MS) }),
        },
      }),
      service.count({ filter: { ...pending, due_date: { $lt: today.toISOString() } } }),
    ]);
    return { due_today: dueToday, overdue };
  }
}
