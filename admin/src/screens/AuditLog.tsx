import { useState } from 'react';
import { LoadNotes } from '../components/States';
import { Pager, Table } from '../components/Table';
import { useAsync } from '../components/useAsync';
import { useApp } from '../context';
import { labelOf } from '../lib/meta';

interface Entry {
  id: string;
  entity: string;
  record_id: string;
  action: string;
  actor_email: string | null;
  changes: Record<string, unknown>;
  created_at: string;
}

const PAGE = 50;

/** Every change in the organization, newest first, filterable by entity and action. */
export function AuditLog() {
  const { api, entities } = useApp();
  const [entity, setEntity] = useState('');
  const [action, setAction] = useState('');
  const [page, setPage] = useState(1);
  const log = useAsync(async () => {
    const p = new URLSearchParams({ page: String(page), limit: String(PAGE) });
    if (entity) p.set('entity', entity);
    if (action) p.set('action', action);
    return api.request<{ data: Entry[]; meta: { total_pages: number; total_exact?: boolean } }>(
      `/audit?${p.toString()}`,
    );
  }, [entity, action, page]);
  const pages = log.data?.meta.total_pages ?? 1;
  // The log only grows, so the server counts it only so far: more pages may follow the last one counted.
  const more = log.data?.meta.total_exact === false;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <div className="toolbar">
        <label>
          Entity
          <select value={entity} onChange={(e) => (setEntity(e.target.value), setPage(1))}>
            <option value="">All</option>
            {entities.map((e) => (
              <option key={e.name} value={e.name}>
                {labelOf(e.name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select value={action} onChange={(e) => (setAction(e.target.value), setPage(1))}>
            <option value="">All</option>
            <option value="create">create</option>
            <option value="update">update</option>
            <option value="delete">delete</option>
          </select>
        </label>
      </div>
      <LoadNotes state={log} count={log.data?.data.length} empty="No changes recorded." />
      {log.data && log.data.data.length > 0 && (
        <Table columns={['When', 'Who', 'Action', 'Record', 'Fields']}>
          {log.data.data.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.created_at).toLocaleString()}</td>
              <td>{e.actor_email ?? 'system'}</td>
              <td>{e.action}</td>
              <td>
                {labelOf(e.entity)} {e.record_id.slice(0, 8)}
              </td>
              <td>{Object.keys(e.changes).join(', ')}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager page={page} pages={pages} more={more} onPage={setPage} />
    </section>
  );
}
