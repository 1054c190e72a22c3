import { useEffect, useState } from 'react';
import { FilterInput } from '../components/FilterInput';
import { Empty, ErrorNote, Loading } from '../components/States';
import { useAsync } from '../components/useAsync';
import { useApp } from '../context';
import { ListExtras } from '../extensions';
import {
  defaultColumns,
  downloadName,
  exportParams,
  filterControl,
  nextSort,
  sortDirection,
  stateFromParams,
  stateToParams,
  toQuery,
  type ListState,
} from '../lib/list-query';
import { display } from '../lib/format';
import { labelOf, pluralLabel, recordTitle, type EntityMeta } from '../lib/meta';
import { Link, navigate, useLocation } from '../router';

const NOT_FILTERABLE = new Set(['id', 'organization_id']);

/** Any entity's list, generated from its metadata: search, sort, filters, paging, column chooser. */
export function EntityList({ meta }: { meta: EntityMeta }) {
  const { api } = useApp();
  const { params } = useLocation();
  const state = stateFromParams(params, meta.defaultSort);
  const storageKey = `columns:${meta.name}`;
  const [columns, setColumns] = useState<string[]>(() => {
    const saved = localStorage.getItem(storageKey);
    return saved ? (JSON.parse(saved) as string[]) : defaultColumns(meta.fields);
  });
  const [search, setSearch] = useState(state.search);
  const handle = api.entities[meta.name]!;
  const query = toQuery(state, meta.fields);
  const key = JSON.stringify([query, state.sort, state.page, state.pageSize]);
  // One request: the page and the server's count, which stops at its limit (then `totalExact` is false).
  const list = useAsync(
    () => handle.page(query, state.sort, state.pageSize, (state.page - 1) * state.pageSize),
    [key],
  );

  // Lists follow changes others make (realtime); a burst of changes reloads once.
  const { reload } = list;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const close = api.subscribe([meta.name], () => {
      clearTimeout(timer);
      timer = setTimeout(reload, 300);
    });
    return () => {
      clearTimeout(timer);
      close();
    };
  }, [api, meta.name]);

  const update = (patch: Partial<ListState>) =>
    navigate(
      `/e/${meta.path}?${stateToParams({ ...state, page: 1, ...patch }, meta.defaultSort).toString()}`,
      true,
    );
  const setFilter = (k: string, v: string) => update({ filters: { ...state.filters, [k]: v } });
  const chooseColumns = (next: string[]) => {
    setColumns(next);
    localStorage.setItem(storageKey, JSON.stringify(next));
  };
  const shown = meta.fields.filter((f) => columns.includes(f.name));
  const filterable = meta.fields.filter((f) => !NOT_FILTERABLE.has(f.name) && filterControl(f));
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  // Every record the current search and filters match, in the shown columns, as the server writes it.
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const params = exportParams(
        query,
        state.sort,
        shown.map((f) => f.name),
      );
      const res = await api.raw(`/${meta.path}/export?${params.toString()}`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = downloadName(res.headers.get('content-disposition'), `${meta.path}.csv`);
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / state.pageSize));
  const more = list.data?.totalExact === false;
  const title = pluralLabel(meta);

  return (
    <section aria-labelledby="list-title">
      <div className="heading">
        <h1 id="list-title">{title}</h1>
        {meta.actions.create && (
          <div className="actions">
            <Link className="button" to={`/e/${meta.path}/import`}>
              Import
            </Link>
            <Link className="button primary" to={`/e/${meta.path}/new`}>
              New {labelOf(meta.name).toLowerCase()}
            </Link>
          </div>
        )}
      </div>
      <ListExtras meta={meta} onChanged={list.reload} />
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          update({ search });
        }}
      >
        <label>
          Search {title.toLowerCase()}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <button type="submit">Search</button>
        <details className="filters">
          <summary>Filters{Object.values(state.filters).some(Boolean) ? ' (on)' : ''}</summary>
          <div className="filter-grid">
            {filterable.map((f) => (
              <FilterInput key={f.name} field={f} filters={state.filters} onChange={setFilter} />
            ))}
            <button type="button" onClick={() => update({ filters: {} })}>
              Clear filters
            </button>
          </div>
        </details>
        <details className="columns">
          <summary>Columns</summary>
          <fieldset>
            <legend>Columns to show</legend>
            {meta.fields.map((f) => (
              <label key={f.name} className="check">
                <input
                  type="checkbox"
                  checked={columns.includes(f.name)}
                  onChange={(e) =>
                    chooseColumns(
                      e.target.checked ? [...columns, f.name] : columns.filter((c) => c !== f.name),
                    )
                  }
                />
                {labelOf(f.name)}
              </label>
            ))}
          </fieldset>
        </details>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </form>
      <ErrorNote error={exportError} />
      <ErrorNote error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.records.length === 0 && <Empty>No {title.toLowerCase()} match.</Empty>}
      {list.data && list.data.records.length > 0 && (
        <div className="table-wrap">
          <table aria-busy={list.loading}>
            <thead>
              <tr>
                <th scope="col">Record</th>
                {shown.map((f) => (
                  <th key={f.name} scope="col" aria-sort={sortDirection(state.sort, f.name)}>
                    {f.sortable ? (
                      <button type="button" onClick={() => update({ sort: nextSort(state.sort, f.name) })}>
                        {labelOf(f.name)}
                        <span aria-hidden="true">
                          {{ ascending: ' ▲', descending: ' ▼', none: '' }[sortDirection(state.sort, f.name)]}
                        </span>
                      </button>
                    ) : (
                      labelOf(f.name)
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.data.records.map((row) => (
                <tr key={String(row.id)}>
                  <td>
                    <Link to={`/e/${meta.path}/${String(row.id)}`}>{recordTitle(row)}</Link>
                  </td>
                  {shown.map((f) => (
                    <td key={f.name} data-label={labelOf(f.name)}>
                      {display(f, row[f.name])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && (
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={state.page <= 1} onClick={() => update({ page: state.page - 1 })}>
            Previous
          </button>
          <span>
            Page {state.page} of {pages}
            {more && '+'} · {more ? `more than ${list.data.total}` : list.data.total} in all
          </span>
          <button
            type="button"
            disabled={state.page >= pages && !more}
            onClick={() => update({ page: state.page + 1 })}
          >
            Next
          </button>
          <label>
            Per page
            <select value={state.pageSize} onChange={(e) => update({ pageSize: Number(e.target.value) })}>
              {[10, 20, 50, 100].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
        </nav>
      )}
    </section>
  );
}
