import type { Metric } from '../../entities/goal';

/** Where a metric is counted from. */
export interface MetricSource {
  entity: string;
  /** The field naming the person the figure belongs to. */
  person: string;
  /** The moment that places a record in a period. */
  at: string;
  /** Which records count. */
  filter: Record<string, unknown>;
  /** Summed instead of counted. */
  sum?: string;
}

/**
 * The sales figures people are measured by, each counted from real records of the person it belongs to:
 * which entity, whose records (the owner field), which of them count, and when they happened.
 */
export const METRIC_SOURCES: Record<Metric, MetricSource> = {
  // Won deals count when they closed; a deal marked won without a close date is in no period.
  won_amount: {
    entity: 'Deal',
    person: 'owner_id',
    at: 'actual_close_date',
    filter: { stage: 'closed_won' },
    sum: 'amount',
  },
  deals_won: { entity: 'Deal', person: 'owner_id', at: 'actual_close_date', filter: { stage: 'closed_won' } },
  leads_converted: {
    entity: 'Lead',
    person: 'assigned_to',
    at: 'converted_date',
    filter: { status: 'converted' },
  },
  calls: { entity: 'Call', person: 'user_id', at: 'call_time', filter: { status: 'completed' } },
  meetings: { entity: 'Meeting', person: 'organizer_id', at: 'start_time', filter: { status: 'completed' } },
};
