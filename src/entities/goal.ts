import { defineSystemTable } from '../schema/entity';
import { f } from '../schema/fields';

/** The sales figures a goal can be set on; src/services/analytics/metrics.ts says how each is counted. */
export const METRICS = ['won_amount', 'deals_won', 'leads_converted', 'calls', 'meetings'] as const;
export type Metric = (typeof METRICS)[number];

export const GOAL_PERIODS = ['week', 'month', 'quarter', 'year'] as const;
export type GoalPeriod = (typeof GOAL_PERIODS)[number];

/**
 * A sales target: how much of a metric one person should reach in every period of a kind (each month,
 * each quarter, ...). Progress is not stored: it is counted from the records when asked.
 */
export const Goal = defineSystemTable({
  name: 'Goal',
  table: 'goals',
  fields: {
    organization_id: f.ref('Organization', 'CASCADE').required().index(),
    // Looked up by user through the unique index, which it leads.
    user_id: f.ref('User', 'CASCADE').required(),
    metric: f.enum(METRICS).required(),
    period: f.enum(GOAL_PERIODS).required(),
    target: f.decimal(15, 2).required().min(0),
    created_by: f.ref('User').index(),
  },
  uniques: [['user_id', 'metric', 'period']],
});
