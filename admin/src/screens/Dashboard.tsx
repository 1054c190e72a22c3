import { useState } from 'react';
import { BarChart, LineChart, type Point } from '../components/Charts';
import { ErrorNote, Loading } from '../components/States';
import { useAsync } from '../components/useAsync';
import { useApp } from '../context';
import { money } from '../lib/format';

const PERIODS = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
  { days: 365, label: 'Last 12 months' },
];

type Row = Record<string, unknown>;
const points = (rows: Row[], label: string, value: string): Point[] =>
  rows.map((r) => ({ label: String(r[label] ?? 'none').replace(/_/g, ' '), value: Number(r[value] ?? 0) }));
const day = (iso: unknown) => String(iso).slice(0, 10);
const month = (iso: unknown) => String(iso).slice(0, 7);

/**
 * KPIs and charts over the leads and deals this user can see, computed by the server's /aggregate (the
 * same scoping as every list), for the chosen period.
 */
export function Dashboard() {
  const { api, entities } = useApp();
  const [days, setDays] = useState(30);
  const canLeads = entities.some((e) => e.name === 'Lead' && e.actions.read);
  const canDeals = entities.some((e) => e.name === 'Deal' && e.actions.read);
  const stats = useAsync(async () => {
    const since = new Date(Date.now() - days * 86_400_000).toISOString();
    const inPeriod = { created_at: { $gte: since } };
    const leads = api.entities.Lead;
    const deals = api.entities.Deal;
    const none = Promise.resolve({ rows: [] as Row[] });
    const [byStatus, bySource, perDay, byStage, won] = await Promise.all([
      canLeads && leads ? leads.aggregate({ filter: inPeriod, group_by: ['status'], sort: '-count' }) : none,
      canLeads && leads
        ? leads.aggregate({ filter: inPeriod, group_by: ['source'], sort: '-count', limit: 8 })
        : none,
      canLeads && leads
        ? leads.aggregate({
            filter: inPeriod,
            date_bucket: { field: 'created_at', unit: 'day', as: 'day' },
            sort: 'day',
          })
        : none,
      canDeals && deals
        ? deals.aggregate({
            filter: { stage: { $nin: ['closed_won', 'closed_lost'] } },
            group_by: ['stage'],
            sum: ['amount'],
          })
        : none,
      canDeals && deals
        ? deals.aggregate({
            filter: { stage: 'closed_won', actual_close_date: { $gte: since } },
            date_bucket: { field: 'actual_close_date', unit: 'month', as: 'month' },
            sum: ['amount'],
            sort: 'month',
          })
        : none,
    ]);
    return {
      byStatus: byStatus.rows,
      bySource: bySource.rows,
      perDay: perDay.rows,
      byStage: byStage.rows,
      won: won.rows,
    };
  }, [days, canLeads, canDeals]);

  const d = stats.data;
  const sum = (rows: Row[], f: string) => rows.reduce((n, r) => n + Number(r[f] ?? 0), 0);
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
            <li>
              <span>New leads</span>
              <strong>{sum(d.byStatus, 'count')}</strong>
            </li>
            <li>
              <span>Converted</span>
              <strong>
                {sum(
                  d.byStatus.filter((r) => r.status === 'converted'),
                  'count',
                )}
              </strong>
            </li>
            <li>
              <span>Open pipeline</span>
              <strong>{money(sum(d.byStage, 'sum_amount'))}</strong>
            </li>
            <li>
              <span>Won revenue</span>
              <strong>{money(sum(d.won, 'sum_amount'))}</strong>
            </li>
          </ul>
          <div className="charts" aria-busy={stats.loading}>
            <BarChart title="Leads by status" points={points(d.byStatus, 'status', 'count')} />
            <BarChart title="Leads by source" points={points(d.bySource, 'source', 'count')} />
            <LineChart
              title="New leads per day"
              points={d.perDay.map((r) => ({ label: day(r.day), value: Number(r.count) }))}
            />
            <BarChart title="Pipeline by stage" points={points(d.byStage, 'stage', 'sum_amount')} />
            <BarChart
              title="Won revenue per month"
              points={d.won.map((r) => ({ label: month(r.month), value: Number(r.sum_amount) }))}
            />
          </div>
        </>
      )}
    </section>
  );
}
