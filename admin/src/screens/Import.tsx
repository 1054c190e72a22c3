import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { ErrorNote } from '../components/States';
import { Table } from '../components/Table';
import { useApp } from '../context';
import {
  applyMapping,
  detectMapping,
  duplicateTargets,
  formatOf,
  importableFields,
  preview,
  type ColumnMapping,
  type Preview,
} from '../lib/import-map';
import { labelOf, pluralLabel, type EntityMeta } from '../lib/meta';
import { Link } from '../router';

/** GET /<entity>/import/:job. */
interface ImportJob {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  mode: string;
  counts: { processed: number; created: number; failed: number };
  committed: boolean;
  errors: { row: number; errors: { field?: string; message: string }[] }[];
  ignored_columns: string[];
  error: string | null;
}

const MODES = [
  { value: 'all_or_nothing', label: 'All or nothing: import only if every row is valid' },
  { value: 'skip_invalid', label: 'Skip invalid rows: import the valid ones' },
];
const POLL_MS = 500;
const finished = (job: ImportJob) => job.status === 'completed' || job.status === 'failed';

/**
 * Import records from a CSV or JSON file: the file is read here first to show its columns and the field
 * each fills (changeable); it is then sent with its columns renamed to those fields, and the server's
 * background job is followed until it ends, with its per-row errors.
 */
export function Import({ meta }: { meta: EntityMeta }) {
  const { api } = useApp();
  const [file, setFile] = useState<{ name: string; text: string; preview: Preview }>();
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [mode, setMode] = useState('all_or_nothing');
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(0);
  const [job, setJob] = useState<ImportJob>();
  const fields = importableFields(meta.fields);
  const doubled = duplicateTargets(mapping);
  const running = job !== undefined && !finished(job);

  const choose = async (chosen: File | undefined) => {
    setError(null);
    setFile(undefined);
    setJob(undefined);
    if (!chosen) return;
    const format = formatOf(chosen);
    if (!format) return setError(new Error('Choose a CSV (.csv) or JSON (.json) file'));
    try {
      const text = await chosen.text();
      const p = preview(format, text);
      if (!p.headers.length) return setError(new Error('The file has no columns'));
      setFile({ name: chosen.name, text, preview: p });
      setMapping(detectMapping(p.headers, meta.fields));
    } catch (err) {
      setError(err);
    }
  };

  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setJob(undefined);
    setSent(0);
    const { format } = file.preview;
    const body = applyMapping(format, file.text, mapping);
    const form = new FormData();
    form.append(
      'file',
      new Blob([body], { type: format === 'csv' ? 'text/csv' : 'application/json' }),
      file.name,
    );
    try {
      setJob(
        await api.upload<ImportJob>(`/${meta.path}/import?mode=${encodeURIComponent(mode)}`, form, setSent),
      );
    } catch (err) {
      setError(err);
    }
  };

  // Follow the job until it ends.
  useEffect(() => {
    if (!job || finished(job)) return;
    const timer = setTimeout(() => {
      api
        .request<{ data: ImportJob }>(`/${meta.path}/import/${job.id}`)
        .then((r) => setJob(r.data), setError);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [api, job, meta.path]);

  const title = pluralLabel(meta);
  const mapped = Object.values(mapping).filter(Boolean).length;
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import {title.toLowerCase()}</h1>
      <p className="crumbs">
        <Link to={`/e/${meta.path}`}>{title}</Link> / import
      </p>
      <form className="panel" onSubmit={(e) => void start(e)} aria-label="Import a file">
        <label>
          CSV or JSON file
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={(e) => void choose(e.target.files?.[0])}
          />
        </label>
        {file && (
          <>
            <p>
              {file.name}: {file.preview.records} records, {file.preview.headers.length} columns, {mapped}{' '}
              mapped.
            </p>
            <Table columns={['Column in the file', 'Fills the field', 'First values']} label="Column mapping">
              {file.preview.headers.map((h, i) => (
                <tr key={h}>
                  <td>{h}</td>
                  <td>
                    <select
                      aria-label={`Field for column ${h}`}
                      id={`map-${i}`}
                      value={mapping[h] ?? ''}
                      onChange={(e) => setMapping({ ...mapping, [h]: e.target.value })}
                    >
                      <option value="">(leave out)</option>
                      {fields.map((f) => (
                        <option key={f.name} value={f.name}>
                          {labelOf(f.name)}
                          {f.required ? ' *' : ''}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {file.preview.sample
                      .map((r) => r[h])
                      .filter(Boolean)
                      .slice(0, 3)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </Table>
            {doubled.length > 0 && (
              <p className="error" role="alert">
                Each field takes one column: {doubled.map(labelOf).join(', ')} is chosen twice.
              </p>
            )}
            <fieldset>
              <legend>When a row is not valid</legend>
              {MODES.map((m) => (
                <label key={m.value} className="check">
                  <input
                    type="radio"
                    name="mode"
                    value={m.value}
                    checked={mode === m.value}
                    onChange={() => setMode(m.value)}
                  />
                  {m.label}
                </label>
              ))}
            </fieldset>
            <button
              type="submit"
              className="primary"
              disabled={running || mapped === 0 || doubled.length > 0}
            >
              Import
            </button>
          </>
        )}
      </form>
      <ErrorNote error={error} />
      {error instanceof ApiError && error.details.length > 0 && (
        <ul className="error">
          {error.details.map((d, i) => (
            <li key={i}>{d.field ? `${d.field}: ${d.message}` : d.message}</li>
          ))}
        </ul>
      )}
      {sent > 0 && !job && <progress max={1} value={sent} aria-label="Upload progress" />}
      {job && <JobReport job={job} />}
    </section>
  );
}

function JobReport({ job }: { job: ImportJob }) {
  const { processed, created, failed } = job.counts;
  const outcome =
    job.status === 'completed'
      ? `Import finished: ${created} created, ${failed} skipped of ${processed} rows.`
      : job.status === 'failed'
        ? `Import failed: ${job.error ?? 'the server gave no reason'}`
        : `Importing… ${processed} rows read, ${failed} not valid so far.`;
  return (
    <section className="panel" aria-labelledby="job-title" aria-busy={!finished(job)}>
      <h2 id="job-title">Import {job.status}</h2>
      <p role="status">{outcome}</p>
      {job.ignored_columns.length > 0 && (
        <p>Columns ignored by the server: {job.ignored_columns.join(', ')}</p>
      )}
      {job.errors.length > 0 && (
        <Table columns={['Row', 'Field', 'Problem']} label="Row errors">
          {job.errors.flatMap((r) =>
            r.errors.map((e, i) => (
              <tr key={`${r.row}-${i}`}>
                <td>{r.row}</td>
                <td>{e.field ? labelOf(e.field) : '—'}</td>
                <td>{e.message}</td>
              </tr>
            )),
          )}
        </Table>
      )}
    </section>
  );
}
