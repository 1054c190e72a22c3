import { useState, type FormEvent } from 'react';
import { messageOf } from '../api/errors';
import type { RecordValues } from '../api/types';
import { Alert, ErrorNote } from '../components/States';
import { useAsync } from '../components/useAsync';
import { entityByName, useApp } from '../context';
import { recordTitle, type EntityMeta } from '../lib/meta';
import { Link } from '../router';

interface Stats {
  total: number;
  by_status: Record<string, number>;
  by_source: Record<string, number>;
  conversion_rate: number;
}

/** Counts over the leads this user can see (GET /leads/stats). */
export function LeadStats() {
  const { api } = useApp();
  const stats = useAsync(async () => (await api.request<{ data: Stats }>('/leads/stats')).data, []);
  if (stats.error) return <ErrorNote error={stats.error} />;
  if (!stats.data) return null;
  const s = stats.data;
  return (
    <ul className="kpis compact" aria-label="Lead statistics">
      <li>
        <span>Leads</span> <strong>{s.total}</strong>
      </li>
      {Object.entries(s.by_status).map(([k, v]) => (
        <li key={k}>
          <span>{k.replace(/_/g, ' ')}</span> <strong>{v}</strong>
        </li>
      ))}
      <li>
        <span>Conversion rate</span> <strong>{Math.round(s.conversion_rate * 1000) / 10}%</strong>
      </li>
    </ul>
  );
}

interface Converted {
  lead: RecordValues;
  contact: RecordValues;
  account: RecordValues | null;
  deal: RecordValues | null;
}

/** Assign (managers and admins) and convert a lead, showing what the conversion created. */
export function LeadActions({
  meta,
  record,
  onChanged,
}: {
  meta: EntityMeta;
  record: RecordValues;
  onChanged: () => void;
}) {
  const { api, user, entities } = useApp();
  const [assignee, setAssignee] = useState('');
  const [createDeal, setCreateDeal] = useState(false);
  const [dealAmount, setDealAmount] = useState('');
  const [result, setResult] = useState<Converted>();
  const [error, setError] = useState('');
  const canAssign = user.role === 'admin' || user.role === 'manager';
  const users = useAsync(
    async () => (canAssign ? api.entities.User!.list('last_name', 100) : []),
    [canAssign],
  );
  if (!meta.actions.update) return null;

  const assign = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      await api.request(`/leads/${String(record.id)}/assign`, {
        method: 'POST',
        json: { user_id: assignee },
      });
      onChanged();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const convert = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      const deal = dealAmount ? { amount: Number(dealAmount) } : {};
      const r = await api.request<{ data: Converted }>(`/leads/${String(record.id)}/convert`, {
        method: 'POST',
        json: { create_deal: createDeal, ...(createDeal ? { deal } : {}) },
      });
      setResult(r.data);
      onChanged();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const link = (name: string, r: RecordValues | null) => {
    const m = entityByName(entities, name);
    return r && m ? (
      <li key={name}>
        {name}: <Link to={`/e/${m.path}/${String(r.id)}`}>{recordTitle(r)}</Link>
      </li>
    ) : null;
  };

  return (
    <div className="panel lead-actions">
      {canAssign && (
        <form onSubmit={assign} className="inline">
          <label>
            Assign to
            <select value={assignee} onChange={(e) => setAssignee(e.target.value)} required>
              <option value="">— choose a person —</option>
              {users.data?.map((u) => (
                <option key={String(u.id)} value={String(u.id)}>
                  {recordTitle(u)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Assign</button>
        </form>
      )}
      {record.status !== 'converted' && (
        <form onSubmit={convert} className="inline">
          <label className="check">
            <input type="checkbox" checked={createDeal} onChange={(e) => setCreateDeal(e.target.checked)} />
            Also create a deal
          </label>
          {createDeal && (
            <label>
              Deal amount
              <input
                type="number"
                min={0}
                value={dealAmount}
                onChange={(e) => setDealAmount(e.target.value)}
              />
            </label>
          )}
          <button type="submit" className="primary">
            Convert lead
          </button>
        </form>
      )}
      <Alert message={error} />
      {result && (
        <div role="status">
          <p>Converted. Created:</p>
          <ul>
            {link('Contact', result.contact)}
            {link('Account', result.account)}
            {link('Deal', result.deal)}
          </ul>
        </div>
      )}
    </div>
  );
}
