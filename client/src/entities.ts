import { fieldsParam, filterParams, sortParam, type Query } from './query.js';
import { subscribeTo, type ChangeEvent, type SubscribeOptions, type Unsubscribe } from './realtime.js';
import type { Transport } from './transport.js';

export type EntityRecord = { id: string } & Record<string, unknown>;
export type Sort = string | string[];
export type Fields = string | string[];

/** The server's largest page; longer lists are fetched page by page. */
const PAGE_MAX = 100;

/** Base44's entity methods, over /api/v1. Lists answer plain arrays of records, as Base44's do. */
export interface EntityApi<T extends EntityRecord = EntityRecord> {
  list(sort?: Sort, limit?: number, skip?: number, fields?: Fields): Promise<T[]>;
  filter(query: Query, sort?: Sort, limit?: number, skip?: number, fields?: Fields): Promise<T[]>;
  get(id: string): Promise<T>;
  create(data: Partial<T>): Promise<T>;
  /** Changes only the fields given. */
  update(id: string, data: Partial<T>): Promise<T>;
  delete(id: string): Promise<void>;
  /** All or nothing: one invalid record and none is created. */
  bulkCreate(records: Partial<T>[]): Promise<T[]>;
  /** How many records match, counted exactly (a full count, which a million rows make slow). */
  count(query?: Query): Promise<number>;
  /**
   * One page of matches with the server's count of them, as a pager shows it: `total` counts up to the
   * server's limit (LIST_COUNT_LIMIT, 1,000 by default) and `totalExact` is false when more match.
   */
  page(query: Query, sort?: Sort, limit?: number, skip?: number): Promise<EntityPage<T>>;
  /** Full-text match over the entity's searchable fields, optionally narrowed by a query. */
  search(term: string, filters?: Query, sort?: Sort, limit?: number, skip?: number): Promise<T[]>;
  /** Creates, updates and deletes the caller may read, as they are committed. */
  subscribe(callback: (event: ChangeEvent<T>) => void, options?: SubscribeOptions): Unsubscribe;
}

export interface EntityPage<T> {
  records: T[];
  /** When `totalExact` is false, more records than this match. */
  total: number;
  totalExact: boolean;
}

interface ListOptions {
  query?: Query;
  search?: string;
  sort?: Sort;
  limit?: number;
  skip?: number;
  fields?: Fields;
  /** How the server counts matches for `meta.total`. */
  count?: 'true' | 'false' | 'exact';
}

export function entityApi<T extends EntityRecord = EntityRecord>(
  http: Transport,
  name: string,
  path: string,
): EntityApi<T> {
  const base = `/api/v1/${path}`;
  const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

  const params = (o: ListOptions, offset: number, limit: number | undefined) => {
    const p = new URLSearchParams();
    filterParams(o.query, p);
    if (o.search) p.set('search', o.search);
    const sort = sortParam(o.sort);
    if (sort) p.set('sort', sort);
    const fields = fieldsParam(o.fields);
    if (fields) p.set('fields', fields);
    if (offset > 0) p.set('offset', String(offset));
    if (limit !== undefined) p.set('limit', String(limit));
    // The server counts matches for every page unless told; only count() reads the total.
    p.set('count', o.count ?? 'false');
    return p;
  };

  /** Without a limit, the server's default page; above the server's page size, consecutive pages. */
  const list = async (o: ListOptions): Promise<T[]> => {
    const skip = o.skip ?? 0;
    if (o.limit === undefined) return http.data<T[]>(base, { query: params(o, skip, undefined) });
    const rows: T[] = [];
    while (rows.length < o.limit) {
      const size = Math.min(PAGE_MAX, o.limit - rows.length);
      const page = await http.data<T[]>(base, { query: params(o, skip + rows.length, size) });
      rows.push(...page);
      if (page.length < size) break;
    }
    return rows;
  };

  return {
    list: (sort, limit, skip, fields) => list({ sort, limit, skip, fields }),
    filter: (query, sort, limit, skip, fields) => list({ query, sort, limit, skip, fields }),
    search: (term, filters, sort, limit, skip) => list({ search: term, query: filters, sort, limit, skip }),
    get: (id) => http.data<T>(one(id)),
    create: (data) => http.data<T>(base, { method: 'POST', body: data }),
    update: (id, data) => http.data<T>(one(id), { method: 'PATCH', body: data }),
    delete: async (id) => {
      await http.json(one(id), { method: 'DELETE' });
    },
    bulkCreate: (records) => http.data<T[]>(`${base}/bulk`, { method: 'POST', body: records }),
    async count(query) {
      const body = await http.json<{ meta: { total: number } }>(base, {
        query: params({ query, fields: 'id', count: 'exact' }, 0, 1),
      });
      return body.meta.total;
    },
    async page(query, sort, limit, skip) {
      const body = await http.json<{ data: T[]; meta: { total: number; total_exact: boolean } }>(base, {
        query: params({ query, sort, count: 'true' }, skip ?? 0, limit),
      });
      return { records: body.data, total: body.meta.total, totalExact: body.meta.total_exact };
    },
    subscribe: (callback, options) => subscribeTo<T>(http, name, callback, options),
  };
}
