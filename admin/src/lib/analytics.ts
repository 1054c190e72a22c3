import { money } from './format';

/** The dashboard's period choices; each also picks the calendar period of the leaderboard and goals. */
export const PERIODS = [
  { days: 7, label: 'Last 7 days', ranking: 'week' },
  { days: 30, label: 'Last 30 days', ranking: 'month' },
  { days: 90, label: 'Last 90 days', ranking: 'quarter' },
  { days: 365, label: 'Last 12 months', ranking: 'year' },
] as const;
export type RankingPeriod = (typeof PERIODS)[number]['ranking'];

export const METRICS = ['won_amount', 'deals_won', 'leads_converted', 'calls', 'meetings'] as const;
export type Metric = (typeof METRICS)[number];

export const METRIC_LABELS: Record<Metric, string> = {
  won_amount: 'Won revenue',
  deals_won: 'Deals won',
  leads_converted: 'Leads converted',
  calls: 'Calls completed',
  meetings: 'Meetings held',
};

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * `from`/`to` for /analytics/dashboard: the last `days` UTC days, today included (`to` is exclusive, so it
 * is tomorrow).
 */
export function periodRange(days: number, now: Date): { from: string; to: string } {
  const tomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
  return { from: isoDay(new Date(tomorrow - days * DAY_MS)), to: isoDay(new Date(tomorrow)) };
}

/** The leaderboard's calendar period for a dashboard period of `days`. */
export const rankingPeriod = (days: number): RankingPeriod =>
  PERIODS.find((p) => p.days === days)?.ranking ?? 'month';

/** A metric's figure as text: revenue as money, the rest as counts; null (a colleague's, hidden) as a dash. */
export const metricValue = (metric: Metric, value: number | null): string =>
  value === null ? '—' : metric === 'won_amount' ? money(value) : String(value);

/** How far a goal is, as a whole percentage capped at 100 for the bar (the text shows the real figure). */
export function goalPercent(progress: { ratio: number | null; achieved: boolean }): {
  bar: number;
  text: string;
} {
  if (progress.ratio === null) return { bar: progress.achieved ? 100 : 0, text: 'no target' };
  const pct = Math.round(progress.ratio * 100);
  return { bar: Math.min(100, Math.max(0, pct)), text: `${pct}%` };
}

export interface Person {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string;
}

export const personName = (p: Person) => [p.first_name, p.last_name].filter(Boolean).join(' ') || p.email;
