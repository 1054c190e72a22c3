import Joi from 'joi';
import type { Actor } from '../../context';
import type { CrudServices } from '../../crud/services';
import { validate } from '../../crud/validation';
import { GOAL_PERIODS, METRICS, type GoalPeriod, type Metric } from '../../entities/goal';
import { metricFigures } from './figures';
import { organizationReader, type People, type Person } from './people';
import { rankingRange, type Range } from './periods';

const querySchema = Joi.object({
  period: Joi.string()
    .valid(...GOAL_PERIODS)
    .default('month'),
  at: Joi.string().max(40),
});
const leaderboardSchema = querySchema.keys({
  metric: Joi.string()
    .valid(...METRICS)
    .default('won_amount'),
});

const periodOf = (kind: GoalPeriod, range: Range) => ({
  kind,
  from: range.from.toISOString(),
  to: range.to.toISOString(),
});

/**
 * Per-person sales figures and rankings for a calendar period (UTC; weeks start on Monday). Admins see
 * everyone who sells, managers their team, sales reps themselves — and, on the leaderboard, every seller's
 * name and rank, but the figures of nobody but themselves (a rep cannot read colleagues' deals).
 */
export class Performance {
  constructor(
    private readonly crud: CrudServices,
    private readonly people: People,
  ) {}

  async report(actor: Actor, query: unknown, now: Date) {
    this.people.refuseNonSellers(actor);
    const q = validate(querySchema, query as Record<string, unknown>, {
      entityName: 'performance query',
      stripUnknown: false,
    }) as { period: GoalPeriod; at?: string };
    const range = rankingRange(q.period, q.at, now);
    const visible = await this.people.visibleTo(actor);
    const people = await this.people.sellers(actor, visible === 'all' ? undefined : [...visible]);
    const ids = people.map((p) => p.id);
    const reader = organizationReader(actor);
    const figures = await Promise.all(METRICS.map((m) => metricFigures(this.crud, reader, m, ids, range)));
    const rows = people.map((person) => ({
      user: person,
      ...Object.fromEntries(METRICS.map((m, i) => [m, figures[i]!.get(person.id) ?? 0])),
    })) as ({ user: Person } & Record<Metric, number>)[];
    rows.sort((a, b) => b.won_amount - a.won_amount || b.deals_won - a.deals_won);
    return { period: periodOf(q.period, range), rows };
  }

  async leaderboard(actor: Actor, query: unknown, now: Date) {
    this.people.refuseNonSellers(actor);
    const q = validate(leaderboardSchema, query as Record<string, unknown>, {
      entityName: 'leaderboard query',
      stripUnknown: false,
    }) as { period: GoalPeriod; at?: string; metric: Metric };
    const range = rankingRange(q.period, q.at, now);
    const visible = await this.people.visibleTo(actor);
    // Reps are ranked among every seller; managers see their team's ranking; admins everyone's.
    const people = await this.people.sellers(actor, actor.role === 'manager' ? [...visible] : undefined);
    const figures = await metricFigures(
      this.crud,
      organizationReader(actor),
      q.metric,
      people.map((p) => p.id),
      range,
    );
    const value = (p: Person) => figures.get(p.id) ?? 0;
    const ranked = [...people].sort((a, b) => value(b) - value(a));
    let rank = 0;
    const rows = ranked.map((person, i) => {
      // Ties share a rank: 1, 2, 2, 4.
      if (i === 0 || value(ranked[i - 1]!) !== value(person)) rank = i + 1;
      return {
        rank,
        user: person,
        value: visible === 'all' || visible.has(person.id) ? value(person) : null,
      };
    });
    return {
      period: periodOf(q.period, range),
      metric: q.metric,
      rows,
      me: rows.find((r) => r.user.id === actor.userId) ?? null,
    };
  }
}

/** The request schemas, for the OpenAPI document (src/http/openapi). */
export { querySchema as performanceQuerySchema, leaderboardSchema as leaderboardQuerySchema };
