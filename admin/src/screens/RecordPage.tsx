import { useState } from 'react';
import { messageOf } from '../api/errors';
import { Alert, ConfirmDelete, Empty, ErrorNote, LoadNotes, Loading } from '../components/States';
import { useAsync } from '../components/useAsync';
import { entityByName, useApp } from '../context';
import { RecordExtras } from '../extensions';
import { display } from '../lib/format';
import { labelOf, pluralLabel, recordTitle, type EntityMeta, type FieldMeta } from '../lib/meta';
import { Link, navigate } from '../router';

interface Change {
  id: string;
  action: string;
  actor_email: string | null;
  changes: Record<string, unknown>;
  created_at: string;
}
interface TimelineItem {
  kind: string;
  at: string;
  id: string;
  data: Record<string, unknown>;
}

function Value({ field, value }: { field: FieldMeta; value: unknown }) {
  const { entities } = useApp();
  const target = field.ref && entityByName(entities, field.ref.entity);
  if (target?.actions.read && typeof value === 'string')
    return <Link to={`/e/${target.path}/${value}`}>{`${labelOf(target.name)} ${value.slice(0, 8)}`}</Link>;
  if (field.kind === 'url' && typeof value === 'string')
    return (
      <a href={value} target="_blank" rel="noreferrer noopener">
        {value}
      </a>
    );
  return <>{display(field, value)}</>;
}

/** Any entity's record: its fields, links to related records, its timeline and history, edit and delete. */
export function RecordPage({ meta, id }: { meta: EntityMeta; id: string }) {
  const { api, entities } = useApp();
  const handle = api.entities[meta.name]!;
  const record = useAsync(() => handle.get(id), [id]);
  const timeline = useAsync(
    async () => (await api.request<{ data: TimelineItem[] }>(`/${meta.path}/${id}/timeline?limit=20`)).data,
    [id],
  );
  const changes = useAsync(
    async () => (await api.request<{ data: Change[] }>(`/${meta.path}/${id}/history?limit=20`)).data,
    [id],
  );
  const [confirming, setConfirming] = useState(false);
  const [deleteError, setDeleteError] = useState('');

  if (record.error) return <ErrorNote error={record.error} />;
  if (!record.data) return <Loading />;
  const r = record.data;
  const remove = async () => {
    try {
      await handle.delete(id);
      navigate(`/e/${meta.path}`);
    } catch (err) {
      setDeleteError(messageOf(err));
      setConfirming(false);
    }
  };
  const noun = labelOf(meta.name).toLowerCase();
  const related = meta.relations.filter((rel) => entityByName(entities, rel.entity)?.actions.read);

  return (
    <article aria-labelledby="record-title">
      <div className="heading">
        <h1 id="record-title">{recordTitle(r)}</h1>
        <div className="actions">
          {meta.actions.update && (
            <Link className="button" to={`/e/${meta.path}/${id}/edit`}>
              Edit
            </Link>
          )}
          {meta.actions.delete && !confirming && (
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              Delete
            </button>
          )}
        </div>
      </div>
      <p className="crumbs">
        <Link to={`/e/${meta.path}`}>{pluralLabel(meta)}</Link> / {noun}
      </p>
      {confirming && (
        <ConfirmDelete
          question={`Delete this ${noun}? This cannot be undone.`}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
      <Alert message={deleteError} />
      <RecordExtras meta={meta} record={r} onChanged={record.reload} />
      <dl className="fields">
        {meta.fields.map((f) => (
          <div key={f.name}>
            <dt>{labelOf(f.name)}</dt>
            <dd>
              <Value field={f} value={r[f.name]} />
            </dd>
          </div>
        ))}
      </dl>
      {related.length > 0 && (
        <section aria-labelledby="related-title">
          <h2 id="related-title">Related records</h2>
          <ul className="related">
            {related.map((rel) => {
              const other = entityByName(entities, rel.entity)!;
              return (
                <li key={`${rel.path}-${rel.field}`}>
                  <Link to={`/e/${rel.path}?f.${rel.field}=${id}`}>
                    {pluralLabel(other)} ({labelOf(rel.field).toLowerCase()})
                  </Link>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <LoadNotes state={timeline} count={timeline.data?.length} empty="Nothing has happened yet." />
        <ol className="timeline">
          {timeline.data?.map((item) => (
            <li key={`${item.kind}-${item.id}`}>
              <time dateTime={item.at}>{new Date(item.at).toLocaleString()}</time>{' '}
              <strong>{item.kind}</strong>{' '}
              {item.kind === 'change'
                ? `${String(item.data.action)} by ${String(item.data.actor_email ?? 'the system')}`
                : recordTitle(item.data)}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <ErrorNote error={changes.error} />
        {changes.data?.length === 0 && <Empty>No changes recorded.</Empty>}
        <ol className="history">
          {changes.data?.map((c) => (
            <li key={c.id}>
              <time dateTime={c.created_at}>{new Date(c.created_at).toLocaleString()}</time> {c.action} by{' '}
              {c.actor_email ?? 'the system'}:{' '}
              {Object.keys(c.changes).map(labelOf).join(', ') || 'no field changes'}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
