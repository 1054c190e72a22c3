import { METRICS } from '../../../entities/goal';
import { goalCreateSchema, goalListSchema, goalUpdateSchema } from '../../../services/analytics/goals';
import { leaderboardQuerySchema, performanceQuerySchema } from '../../../services/analytics/performance';
import { MAX_RANGE_DAYS } from '../../../services/analytics/periods';
import { joiQueryParams, joiToJsonSchema } from '../joi-schema';
import { dataOf, listOf } from '../operation';
import { deleteRoute, getOneRoute, patchRoute } from '../route-docs';
import type { JsonSchema, RouteGroup } from '../types';

const time = { type: 'string', format: 'date-time' };
const count = { type: 'integer' };
const amount = { type: 'number' };
const counts = { type: 'object', additionalProperties: count };
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });

const PARAMS: Record<string, string> = {
  period: 'The calendar period (UTC; weeks start on Monday)',
  at: 'A date or timestamp in the period (default now)',
  metric: 'What to rank by',
  user_id: "Only this person's goals",
  page: 'Page number, from 1',
  limit: 'Goals per page',
};

const person: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    first_name: { type: ['string', 'null'] },
    last_name: { type: ['string', 'null'] },
    email: { type: 'string', format: 'email' },
    role: { type: 'string' },
  },
};
const period: JsonSchema = {
  type: 'object',
  properties: { kind: { type: 'string' }, from: time, to: time },
};

const rank: JsonSchema = {
  type: 'object',
  properties: {
    rank: count,
    user: person,
    value: { type: ['number', 'null'], description: 'null for someone whose figures the caller may not see' },
  },
};

const dashboard: JsonSchema = {
  type: 'object',
  description:
    "Figures over the records the caller's role reaches; a section whose entity the role cannot read is null.",
  properties: {
    period: { type: 'object', properties: { from: time, to: time } },
    leads: nullable({
      type: 'object',
      description: 'Leads created in the period',
      properties: {
        total: count,
        by_status: counts,
        by_source: counts,
        converted: count,
        conversion_rate: { type: 'number' },
        new_per_day: {
          type: 'array',
          items: { type: 'object', properties: { date: { type: 'string', format: 'date' }, count } },
        },
      },
    }),
    deals: nullable({
      type: 'object',
      properties: {
        pipeline_by_stage: {
          type: 'array',
          description: 'Open deals now',
          items: { type: 'object', properties: { stage: { type: 'string' }, count, amount } },
        },
        pipeline_total: amount,
        won_revenue_by_month: {
          type: 'array',
          description: 'Deals won in the period, by close month (`YYYY-MM`)',
          items: { type: 'object', properties: { month: { type: 'string' }, deals: count, amount } },
        },
      },
    }),
    tickets: nullable({ type: 'object', properties: { open: count, open_by_priority: counts } }),
    tasks: nullable({ type: 'object', properties: { due_today: count, overdue: count } }),
  },
};

const dateParam = (description: string) => ({
  description,
  schema: { type: 'string', description: '`YYYY-MM-DD` or an ISO 8601 timestamp' },
});

/** /api/v1/analytics: the dashboard, sales performance, leaderboards and goals. */
export const v1AnalyticsRoutes: RouteGroup = {
  tag: 'Analytics',
  description:
    "Figures computed in the database within the caller's reach. Performance and leaderboards: admins see everyone who sells, managers their team, sales reps themselves (and, on the leaderboard, every seller's rank but only their own figure); support agents get 403.",
  routes: ({ ref }) => {
    const goal = ref('Goal');
    const one = { description: 'The goal with its progress', schema: dataOf(goal) };
    return [
      {
        method: 'get',
        path: '/api/v1/analytics/dashboard',
        summary: 'Leads, pipeline, won revenue, open tickets and due tasks',
        description: `Period figures cover [from, to), at most ${MAX_RANGE_DAYS} days (default the last 30 days, today included); the pipeline, tickets and tasks are as of now.`,
        query: [
          { name: 'from', ...dateParam('Start of the period (a date means its start, UTC)') },
          { name: 'to', ...dateParam('End of the period, exclusive') },
        ],
        responses: { 200: { description: 'The dashboard', schema: dataOf(dashboard) } },
      },
      {
        method: 'get',
        path: '/api/v1/analytics/performance',
        summary: "Each visible seller's figures for a period, best won amount first",
        query: joiQueryParams(performanceQuerySchema, PARAMS),
        responses: {
          200: {
            description: 'The report',
            schema: dataOf({
              type: 'object',
              properties: {
                period,
                rows: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { user: person, ...Object.fromEntries(METRICS.map((m) => [m, amount])) },
                  },
                },
              },
            }),
          },
        },
      },
      {
        method: 'get',
        path: '/api/v1/analytics/leaderboard',
        summary: 'Sellers ranked by a metric for a period (ties share a rank)',
        query: joiQueryParams(leaderboardQuerySchema, PARAMS),
        responses: {
          200: {
            description: 'The ranking',
            schema: dataOf({
              type: 'object',
              properties: {
                period,
                metric: { enum: [...METRICS] },
                rows: { type: 'array', items: rank },
                me: {
                  ...nullable(rank),
                  description: "The caller's row; null for someone who does not sell",
                },
              },
            }),
          },
        },
      },
      {
        method: 'get',
        path: '/api/v1/analytics/goals',
        summary: 'Goals of the people whose figures the caller may see, with progress',
        query: joiQueryParams(goalListSchema, {
          ...PARAMS,
          at: 'Progress in the period containing this moment (default now)',
          period: 'Only goals of this period kind',
          metric: 'Only goals of this metric',
        }),
        responses: { 200: { description: 'Goals', schema: listOf(goal) } },
      },
      {
        method: 'post',
        path: '/api/v1/analytics/goals',
        summary: 'Set a goal: admins for anyone, managers for their team',
        body: joiToJsonSchema(goalCreateSchema),
        responses: {
          201: {
            ...one,
            headers: { Location: { description: 'The new goal', schema: { type: 'string' } } },
          },
          404: { description: '`user_id` is not an active user of the organization' },
          409: { description: 'This person already has a goal for this metric and period' },
        },
      },
      getOneRoute('/api/v1/analytics/goals/:id', 'One goal with its progress in the current period', one),
      patchRoute(
        '/api/v1/analytics/goals/:id',
        "Change a goal's target (admins, managers for their team)",
        joiToJsonSchema(goalUpdateSchema),
        one,
      ),
      deleteRoute('/api/v1/analytics/goals/:id', 'Delete a goal (admins, managers for their team)'),
    ];
  },
};
