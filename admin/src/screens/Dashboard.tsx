import { useState } from 'react';
import { BarChart, LineChart, type Point } from '../components/Charts';
import { ErrorNote, Empty, Loading } from '../components/States';
import { useAsync } from '../components/useAsync';
import { useApp } from '../context';
import {
  goalPercent,
  METRIC_LABELS,
  METRICS,
  metricValue,
  PERIODS,
  periodRange,
  personName,
  rankingPeriod,
  type Metric,
  type Person,
} from '../lib/analytics';
import { money } from '../lib/format';

/** GET /analytics/dashboard: each section is null when the caller's role cannot read its entity. */
interface DashboardData {
  period: { from: string; to: string };
  leads: {
    total: number;
    by_status: Record<string, number>;
    by_source: Record<string, number>;
    converted: number;
    conversion_rate: number;
    new_per_day: { date: string; count: number }[];
  } | null;
  deals: {
    pipeline_by_stage: { stage: string; count: number; amount: number }[];
    pipeline_total: number;
    won_revenue_by_month: { month: string; deals: number; amount: number }[];
  } | null;
  tickets: { open: number; open_by_priority: Record<string, number> } | null;
  tasks: { due_today: number; overdue: number } | null;
}

interface Leaderboard {
  period: { kind: string; from: string; to: string };
  metric: Metric;
  rows: { rank: number; user: Person; value: number | null }[];
  me: { rank: number } | null;
}

interface Goal {
  id: string;
  user_id: string;
  metric: Metric;
  period: string;
  target: number;
  progress: { from: string; to: string; value: number; ratio: number | null; achieved: boolean };
}

const label = (key: string) => key.replace(/_/g, ' ');
const fromRecord = (r: Record<string, number>): Point[] =>
  Object.entries(r).map(([k, v]) => ({ label: label(k), value: v }));
const day = (iso: string) => iso.slice(0, 10);

/**
 * KPIs and charts from /analytics/dashboard for the chosen period (scoped by the server to what this user
 * may see), with the sales leaderboard and goals for the matching calendar period.
 */
export function Dashboard() {
  const { api, user } = useApp();
  const [days, setDays] = useState(30);
  const [metric, setMetric] = useState<Metric>('won_amount');
  const sells = user.role !== 'support';
  const ranking = rankingPeriod(days);

  const stats = useAsync(() => {
    const q = new URLSearchParams(periodRange(days, new Date()));
    return api.request<{ data: DashboardData }>(`/analytics/dashboard?${q.toString()}`).then((r) => r.data);
  }, [days]);
  const board = useAsync(
    () =>
      sells
        ? api
            .request<{ data: Leaderboard }>(`/analytics/leaderboard?period=${ranking}&metric=${metric}`)
            .then((r) => r.data)
        : Promise.resolve(null),
    [ranking, metric, sells],
  );
  const goals = useAsync(
    () =>
      sells
        ? api.request<{ data: Goal[] }>(`/analytics/goals?period=${ranking}&limit=100`).then((r) => r.data)
        : Promise.resolve([]),
    [ranking, sells],
  );

  const d = stats.data;
  const names = new Map((board.data?.rows ?? []).map((r) => [r.user.id, personName(r.user)]));
  const nameOf = (id: string) => (id === user.id ? 'You' : (names.get(id) ?? 'A colleague'));
  return (
    <section aria-labelledby="dash-title">
      <div className="heading">
        <h1 id="dash-title">Dashboard</h1>
        <label>
          Period
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {PERIODS.map((p) => (
              <option key={p.days} value={p.days}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={stats.error} />
      {!d && stats.loading && <Loading what="Loading the numbers" />}
      {d && (
        <>
          <ul className="kpis" aria-label="Key figures">
            {d.leads && (
              <>
                <li>
                  <span>New leads</span>
                  <strong>{d.leads.total}</strong>
                </li>
                <li>
                  <span>Converted</span>
                  <strong>
                    {d.leads.converted} ({Math.round(d.leads.conversion_rate * 100)}%)
                  </strong>
                </li>
              </>
            )}
            {d.deals && (
              <>
                <li>
                  <span>Open pipeline</span>
                  <strong>{money(d.deals.pipeline_total)}</strong>
                </li>
                <li>
                  <span>Won revenue</span>
                  <strong>{money(d.deals.won_revenue_by_month.reduce((n, m) => n + m.amount, 0))}</strong>
                </li>
              </>
            )}
            {d.tickets && (
              <li>
                <span>Open tickets</span>
                <strong>{d.tickets.open}</strong>
              </li>
            )}
            {d.tasks && (
              <li>
                <span>Tasks overdue · due today</span>
                <strong>
                  {d.tasks.overdue} · {d.tasks.due_today}
                </strong>
              </li>
            )}
          </ul>
          <div className="charts" aria-busy={stats.loading}>
            {d.leads && (
              <>
                <BarChart
                  title="Leads by status"
                  points={fromRecord(d.leads.by_status).filter((p) => p.value > 0)}
                />
                <BarChart title="Leads by source" points={fromRecord(d.leads.by_source)} />
                <LineChart
                  title="New leads per day"
                  points={d.leads.new_per_day.map((r) => ({ label: day(r.date), value: r.count }))}
                />
              </>
            )}
            {d.deals && (
              <>
                <BarChart
                  title="Pipeline by stage"
                  points={d.deals.pipeline_by_stage.map((s) => ({ label: label(s.stage), value: s.amount }))}
                />
                <BarChart
                  title="Won revenue per month"
                  points={d.deals.won_revenue_by_month.map((m) => ({ label: m.month, value: m.amount }))}
                />
              </>
            )}
          </div>
        </>
      )}
      {sells && (
        <div className="columns-2">
          <section className="panel" aria-labelledby="board-title">
            <div className="heading">
              <h2 id="board-title">Leaderboard · this {ranking}</h2>
              <label>
                Rank by
                <select value={metric} onChange={(e) => setMetric(e.target.value as Metric)}>
                  {METRICS.map((m) => (
                    <option key={m} value={m}>
                      {METRIC_LABELS[m]}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <ErrorNote error={board.error} />
            {!board.data && board.loading && <Loading what="Loading the ranking" />}
            {board.data && board.data.rows.length === 0 && <Empty>Nobody sells here yet.</Empty>}
            {board.data && board.data.rows.length > 0 && (
              <table aria-label="Leaderboard" aria-busy={board.loading}>
                <thead>
                  <tr>
                    <th scope="col">Rank</th>
                    <th scope="col">Person</th>
                    <th scope="col">{METRIC_LABELS[board.data.metric]}</th>
                  </tr>
                </thead>
                <tbody>
                  {board.data.rows.map((r) => (
                    <tr key={r.user.id} aria-current={r.user.id === user.id ? 'true' : undefined}>
                      <td>{r.rank}</td>
                      <td>{personName(r.user)}</td>
                      <td>{metricValue(board.data!.metric, r.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="panel" aria-labelledby="goals-title">
            <h2 id="goals-title">Goals · this {ranking}</h2>
            <ErrorNote error={goals.error} />
            {!goals.data && goals.loading && <Loading what="Loading the goals" />}
            {goals.data && goals.data.length === 0 && <Empty>No goals set for this {ranking}.</Empty>}
            {goals.data && goals.data.length > 0 && (
              <ul className="goals" aria-label="Goals">
                {goals.data.map((g) => {
                  const pct = goalPercent(g.progress);
                  return (
                    <li key={g.id} className={g.progress.achieved ? 'achieved' : undefined}>
                      <span>
                        <strong>{nameOf(g.user_id)}</strong> · {METRIC_LABELS[g.metric]}
                      </span>
                      <progress max={100} value={pct.bar} aria-label={`${METRIC_LABELS[g.metric]} goal`} />
                      <span>
                        {metricValue(g.metric, g.progress.value)} of {metricValue(g.metric, g.target)} ·{' '}
                        {pct.text}
                        {g.progress.achieved ? ' · achieved' : ''}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        </div>
      )}
    </section>
  );
}
