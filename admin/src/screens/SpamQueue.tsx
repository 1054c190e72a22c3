import { useState } from 'react';
import { messageOf } from '../api/errors';
import type { RecordValues } from '../api/types';
import { BarChart, LineChart } from '../components/Charts';
import { Alert, ConfirmDelete, Empty, ErrorNote, LoadNotes, Loading } from '../components/States';
import { Pager, Table } from '../components/Table';
import { useAsync } from '../components/useAsync';
import { useApp } from '../context';
import { display } from '../lib/format';
import { recordTitle } from '../lib/meta';
import { Link, navigate } from '../router';

/** A screening held as spam, as /spam/leads shows it. */
interface Held {
  id: string;
  score: number;
  reasons: string[];
  channel: string;
  ip: string | null;
  email: string | null;
  submitted: Record<string, unknown> | null;
  created_at: string;
}

interface IntakeStats {
  days: number;
  total: number;
  spam: number;
  spam_rate: number;
  daily: { date: string; total: number; spam: number }[];
  top_reasons: { reason: string; count: number }[];
}

const PAGE = 20;
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const when = (iso: string) => dateTime.format(new Date(iso));
const reasonText = (r: string) => r.replace(/_/g, ' ');

/** What intake screening held back (managers and admins): the figures, the queue, and one held lead. */
export function SpamQueue({ id }: { id?: string }) {
  return id ? <HeldLead key={id} id={id} /> : <Queue />;
}

function Queue() {
  const { api } = useApp();
  const [days, setDays] = useState(30);
  const [page, setPage] = useState(1);
  const stats = useAsync(
    async () => (await api.request<{ data: IntakeStats }>(`/analytics/intake?days=${days}`)).data,
    [days],
  );
  const queue = useAsync(
    () =>
      api.request<{ data: Held[]; meta: { total: number; total_exact?: boolean } }>(
        `/spam/leads?page=${page}&limit=${PAGE}`,
      ),
    [page],
  );
  const s = stats.data;
  const pages = Math.max(1, Math.ceil((queue.data?.meta.total ?? 0) / PAGE));
  // Counted only so far (an attacked form holds thousands): more pages may follow.
  const more = queue.data?.meta.total_exact === false;
  return (
    <section aria-labelledby="spam-title">
      <div className="heading">
        <h1 id="spam-title">Spam queue</h1>
        <label>
          Intake over
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[7, 30, 90].map((d) => (
              <option key={d} value={d}>
                Last {d} days
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={stats.error} />
      {s && (
        <>
          <ul className="kpis" aria-label="Intake figures">
            <li>
              <span>Submissions</span>
              <strong>{s.total}</strong>
            </li>
            <li>
              <span>Held as spam</span>
              <strong>{s.spam}</strong>
            </li>
            <li>
              <span>Spam rate</span>
              <strong>{Math.round(s.spam_rate * 1000) / 10}%</strong>
            </li>
          </ul>
          <div className="charts">
            <LineChart
              title="Submissions per day"
              points={s.daily.map((d) => ({ label: d.date, value: d.total }))}
            />
            <BarChart
              title="Top spam reasons"
              points={s.top_reasons.map((r) => ({ label: reasonText(r.reason), value: r.count }))}
            />
          </div>
        </>
      )}
      <h2>Held leads</h2>
      <LoadNotes state={queue} count={queue.data?.data.length} empty="Nothing is held as spam." />
      {queue.data && queue.data.data.length > 0 && (
        <Table
          columns={['Email', 'Score', 'Reasons', 'Channel', 'Received']}
          label="Held leads"
          busy={queue.loading}
        >
          {queue.data.data.map((h) => (
            <tr key={h.id}>
              <td data-label="Email">
                <Link to={`/spam/${h.id}`}>{h.email ?? '(no email)'}</Link>
              </td>
              <td data-label="Score">{h.score}</td>
              <td data-label="Reasons">{h.reasons.map(reasonText).join(', ')}</td>
              <td data-label="Channel">{h.channel.replace(/_/g, ' ')}</td>
              <td data-label="Received">{when(h.created_at)}</td>
            </tr>
          ))}
        </Table>
      )}
      {queue.data && (
        <Pager
          page={page}
          pages={pages}
          more={more}
          onPage={setPage}
          note={`${more ? 'more than ' : ''}${queue.data.meta.total} held`}
        />
      )}
    </section>
  );
}

function HeldLead({ id }: { id: string }) {
  const { api } = useApp();
  const held = useAsync(async () => (await api.request<{ data: Held }>(`/spam/leads/${id}`)).data, [id]);
  const [released, setReleased] = useState<RecordValues>();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const act = async (run: () => Promise<void>) => {
    setError('');
    try {
      await run();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const release = () =>
    act(async () => {
      const r = await api.request<{ data: RecordValues }>(`/spam/leads/${id}/release`, { method: 'POST' });
      setReleased(r.data);
    });
  const remove = () =>
    act(async () => {
      await api.request(`/spam/leads/${id}`, { method: 'DELETE' });
      navigate('/spam');
    });

  const crumbs = (
    <p className="crumbs">
      <Link to="/spam">Spam queue</Link> / held lead
    </p>
  );
  if (released)
    return (
      <section aria-labelledby="held-title">
        <h1 id="held-title">Released</h1>
        {crumbs}
        <p role="status">
          Released as a lead: <Link to={`/e/leads/${String(released.id)}`}>{recordTitle(released)}</Link>
        </p>
      </section>
    );
  if (held.error) return <ErrorNote error={held.error} />;
  if (!held.data) return <Loading />;
  const h = held.data;
  return (
    <section aria-labelledby="held-title">
      <div className="heading">
        <h1 id="held-title">{h.email ?? 'Held lead'}</h1>
        <div className="actions">
          <button type="button" className="primary" onClick={() => void release()}>
            Release as a lead
          </button>
          {!confirming && (
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              Delete
            </button>
          )}
        </div>
      </div>
      {crumbs}
      {confirming && (
        <ConfirmDelete
          question="Delete this held lead? This cannot be undone."
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
      <Alert message={error} />
      <dl className="fields">
        {(
          [
            ['Spam score', h.score],
            ['Reasons', h.reasons.map(reasonText).join(', ')],
            ['Channel', h.channel.replace(/_/g, ' ')],
            ['From address', h.ip ?? '—'],
            ['Received', when(h.created_at)],
          ] as const
        ).map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h2>What was submitted</h2>
      {h.submitted && Object.keys(h.submitted).length > 0 ? (
        <dl className="fields" aria-label="Submitted values">
          {Object.entries(h.submitted).map(([k, v]) => (
            <div key={k}>
              <dt>{k.replace(/_/g, ' ')}</dt>
              <dd>{display(undefined, v)}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <Empty>No values were kept.</Empty>
      )}
    </section>
  );
}
