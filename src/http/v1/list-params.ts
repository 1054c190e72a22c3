import { InvalidQueryError } from '../../errors';
import { DEFAULT_LIMIT, MAX_LIMIT, type ListQuery } from '../../crud/crud-service';
import { querystringFilter } from '../../crud/filter/querystring';

type Query = Record<string, unknown>;
/** Parameter names read as list options; every other parameter is a field filter. client/src/query.ts mirrors it. */
export const LIST_OPTIONS = new Set([
  'page',
  'offset',
  'limit',
  'sort',
  'fields',
  'search',
  'filter',
  'cursor',
  'count',
]);

function single(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw new InvalidQueryError(`Give "${name}" once`, [{ field: name, message: 'repeated' }]);
  return v;
}

function positiveInt(q: Query, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = single(q, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) {
    throw new InvalidQueryError(`"${name}" must be a whole number from 1 to ${max}`, [
      { field: name, message: `got ${JSON.stringify(raw)}` },
    ]);
  }
  return n;
}

export const fieldList = (raw: string | undefined): string[] | undefined =>
  raw
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Only the named parameters are understood; anything else is a 400 naming it. */
export function onlyParams(q: Query, allowed: string[]): void {
  const unknown = Object.keys(q).filter((k) => !allowed.includes(k));
  if (unknown.length) {
    throw new InvalidQueryError(
      `Unknown query parameter ${unknown.map((k) => `"${k}"`).join(', ')}`,
      unknown.map((field) => ({ field, message: 'not recognised' })),
    );
  }
}

export interface V1ListQuery extends ListQuery {
  page: number;
  limit: number;
}

/** /api/v1 list parameters → the service's ListQuery. Field filters and `filter=` JSON are AND-ed. */
export function parseListParams(q: Query): V1ListQuery {
  const page = positiveInt(q, 'page', 1);
  // `offset` serves clients that page by a record count (Base44's `skip`); `page` is the usual way.
  const offsetParam = single(q, 'offset');
  if (offsetParam !== undefined && (!/^\d+$/.test(offsetParam) || q.page !== undefined)) {
    throw new InvalidQueryError('"offset" is a whole number of records to skip, and goes without "page"', [
      { field: 'offset', message: `got ${JSON.stringify(offsetParam)}` },
    ]);
  }
  const limit = positiveInt(q, 'limit', DEFAULT_LIMIT, MAX_LIMIT);
  const filters: unknown[] = [];
  const json = single(q, 'filter');
  if (json !== undefined) {
    try {
      filters.push(JSON.parse(json));
    } catch {
      throw new InvalidQueryError('"filter" is not valid JSON', [
        { field: 'filter', message: 'malformed JSON' },
      ]);
    }
  }
  const fieldParams = Object.fromEntries(Object.entries(q).filter(([k]) => !LIST_OPTIONS.has(k))) as Record<
    string,
    string | string[]
  >;
  if (Object.keys(fieldParams).length) filters.unshift(querystringFilter(fieldParams));
  const count = single(q, 'count');
  if (count !== undefined && !['true', 'false', 'exact'].includes(count)) {
    throw new InvalidQueryError('"count" must be true, false or exact', [
      { field: 'count', message: `got ${JSON.stringify(count)}` },
    ]);
  }
  const cursor = single(q, 'cursor');
  return {
    page,
    limit,
    offset: offsetParam !== undefined ? Number(offsetParam) : (page - 1) * limit,
    sort: single(q, 'sort'),
    fields: fieldList(single(q, 'fields')),
    search: single(q, 'search')?.trim(),
    filter: filters.length > 1 ? { $and: filters } : filters[0],
    cursor,
    // Counting every match costs more than the page itself at a million rows, so `total` counts up to a limit
    // unless `count=exact`; `count=false` skips it, and cursor paging counts only when asked.
    total:
      count === 'exact'
        ? 'exact'
        : count === 'true' || (cursor === undefined && count !== 'false')
          ? 'bounded'
          : undefined,
  };
}
