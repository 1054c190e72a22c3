import { InvalidQueryError } from '../../errors';
import type { GoalPeriod } from '../../entities/goal';

/** A half-open time range [from, to). */
export interface Range {
  from: Date;
  to: Date;
}

export const DAY_MS = 86_400_000;
/** The dashboard's per-day series is capped so one request cannot ask for millions of buckets. */
export const MAX_RANGE_DAYS = 366;

export const startOfUtcDay = (at: Date): Date =>
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/** The calendar period (UTC) that contains `at`: weeks start on Monday. */
export function periodContaining(period: GoalPeriod, at: Date): Range {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  switch (period) {
    case 'week': {
      const day = startOfUtcDay(at);
      const sinceMonday = (day.getUTCDay() + 6) % 7;
      const from = new Date(day.getTime() - sinceMonday * DAY_MS);
      return { from, to: new Date(from.getTime() + 7 * DAY_MS) };
    }
    case 'month':
      return { from: new Date(Date.UTC(y, m, 1)), to: new Date(Date.UTC(y, m + 1, 1)) };
    case 'quarter': {
      const q = m - (m % 3);
      return { from: new Date(Date.UTC(y, q, 1)), to: new Date(Date.UTC(y, q + 3, 1)) };
    }
    case 'year':
      return { from: new Date(Date.UTC(y, 0, 1)), to: new Date(Date.UTC(y + 1, 0, 1)) };
  }
}

function dateParam(name: string, raw: unknown): Date | undefined {
  if (raw === undefined) return undefined;
  const date = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}/.test(raw) ? new Date(raw) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new InvalidQueryError(`"${name}" must be a date (YYYY-MM-DD) or an ISO 8601 timestamp`, [
      { field: name, message: `got ${JSON.stringify(raw)}` },
    ]);
  }
  return date;
}

/**
 * The dashboard's period from `from` and `to` (a date means its start, UTC; `to` is exclusive). Without
 * them: the last 30 days, today included.
 */
export function dashboardRange(query: { from?: unknown; to?: unknown }, now: Date): Range {
  const to = dateParam('to', query.to) ?? new Date(startOfUtcDay(now).getTime() + DAY_MS);
  const from = dateParam('from', query.from) ?? new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) {
    throw new InvalidQueryError('"from" must be before "to"', [
      { field: 'from', message: 'not before "to"' },
    ]);
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new InvalidQueryError(`The period spans at most ${MAX_RANGE_DAYS} days`, [
      { field: 'from', message: `more than ${MAX_RANGE_DAYS} days before "to"` },
    ]);
  }
  return { from, to };
}

/** The period of a leaderboard or a performance report: `period` (default month) containing `at` (default now). */
export function rankingRange(period: GoalPeriod, at: unknown, now: Date): Range {
  return periodContaining(period, dateParam('at', at) ?? now);
}

/** The UTC days (or month starts) from `from` up to `to`, as ISO strings: the zero-filled series' keys. */
export function buckets(range: Range, unit: 'day' | 'month'): string[] {
  const keys: string[] = [];
  let at = unit === 'day' ? startOfUtcDay(range.from) : periodContaining('month', range.from).from;
  while (at < range.to) {
    keys.push(at.toISOString());
    at =
      unit === 'day'
        ? new Date(at.getTime() + DAY_MS)
        : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  }
  return keys;
}

export const rangeFilter = (field: string, range: Range) => ({
  [field]: { $gte: range.from.toISOString(), $lt: range.to.toISOString() },
});
