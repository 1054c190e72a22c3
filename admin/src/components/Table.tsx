import type { ReactNode } from 'react';

/** A scrollable table with a header row of `columns`; the children are its body rows. */
export function Table({
  columns,
  label,
  busy,
  children,
}: {
  columns: readonly string[];
  label?: string;
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table aria-label={label} aria-busy={busy}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** Previous and next through `pages` pages, with where we are (and an optional `note` after it). */
export function Pager({
  page,
  pages,
  more = false,
  onPage,
  note,
}: {
  page: number;
  pages: number;
  /** `pages` is a lower bound: the server stopped counting (`meta.total_exact: false`). */
  more?: boolean;
  onPage: (page: number) => void;
  note?: string;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {pages}
        {more && '+'}
        {note && ` · ${note}`}
      </span>
      <button type="button" disabled={page >= pages && !more} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
