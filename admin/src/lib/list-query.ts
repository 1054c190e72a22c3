import type { FieldMeta } from './meta';
import type { Query } from '../api/types';

/** What a list screen shows: the user's search, sort, filters and page. Kept in the URL. */
export interface ListState {
  search: string;
  /** `-created_at` or `last_name`. */
  sort: string;
  page: number;
  pageSize: number;
  /** Per field: a single value (`status=new`), or a range (`lead_score.min`, `created_at.to`). */
  filters: Record<string, string>;
}

export type FilterControl = 'choice' | 'boolean' | 'number-range' | 'date-range' | 'text' | 'id' | null;

/** Which filter a field gets: enum pickers, yes/no, numeric and date ranges, text contains, exact ids. */
export function filterControl(field: FieldMeta): FilterControl {
  switch (field.kind) {
    case 'enum':
      return 'choice';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
    case 'float':
      return 'number-range';
    case 'timestamp':
      return 'date-range';
    case 'string':
    case 'text':
    case 'email':
    case 'url':
    case 'phone':
    case 'relatedType':
      return 'text';
    case 'ref':
    case 'uuid':
      return 'id';
    default:
      return null;
  }
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The list state as a MongoDB-style query over the entity's fields (what `entities.X.filter` takes). */
export function toQuery(state: ListState, fields: FieldMeta[]): Query {
  const parts: Query[] = [];
  const term = state.search.trim();
  const searchable = fields.filter((f) => f.searchable);
  if (term && searchable.length) {
    const pattern = { $regex: escapeRegex(term).slice(0, 200), $options: 'i' };
    parts.push({ $or: searchable.map((f) => ({ [f.name]: pattern })) });
  }
  for (const field of fields) {
    const value = (suffix = '') => state.filters[field.name + suffix]?.trim() ?? '';
    switch (filterControl(field)) {
      case 'choice':
        if (value()) parts.push({ [field.name]: { $in: value().split(',') } });
        break;
      case 'boolean':
        if (value()) parts.push({ [field.name]: value() === 'true' });
        break;
      case 'number-range': {
        const range: Record<string, number> = {};
        if (value('.min')) range.$gte = Number(value('.min'));
        if (value('.max')) range.$lte = Number(value('.max'));
        if (Object.keys(range).length) parts.push({ [field.name]: range });
        break;
      }
      case 'date-range': {
        const range: Record<string, string> = {};
        if (value('.from')) range.$gte = new Date(`${value('.from')}T00:00:00`).toISOString();
        // Inclusive of the whole "to" day.
        if (value('.to'))
          range.$lt = new Date(new Date(`${value('.to')}T00:00:00`).getTime() + 86_400_000).toISOString();
        if (Object.keys(range).length) parts.push({ [field.name]: range });
        break;
      }
      case 'text':
        if (value()) parts.push({ [field.name]: { $regex: escapeRegex(value()), $options: 'i' } });
        break;
      case 'id':
        if (value()) parts.push({ [field.name]: value() });
        break;
      default:
        break;
    }
  }
  if (parts.length === 0) return {};
  return parts.length === 1 ? parts[0]! : { $and: parts };
}

/** Clicking a column header: sort by it ascending, then descending, then ascending again. */
export function nextSort(current: string, field: string): string {
  return current === field ? `-${field}` : field;
}

export function sortDirection(current: string, field: string): 'ascending' | 'descending' | 'none' {
  if (current === field) return 'ascending';
  if (current === `-${field}`) return 'descending';
  return 'none';
}

/** Columns shown before the user chooses: up to six readable, compact fields, title-like ones first. */
export function defaultColumns(fields: FieldMeta[]): string[] {
  const skip = new Set(['id', 'organization_id', 'custom_fields', 'updated_at', 'created_by']);
  const compact = fields.filter((f) => !skip.has(f.name) && !['json', 'text', 'list'].includes(f.kind));
  const first = compact.filter((f) => f.searchable || f.kind === 'enum');
  const rest = compact.filter((f) => !first.includes(f));
  return [...first, ...rest].slice(0, 6).map((f) => f.name);
}

/** ListState to and from the URL's query string, so a filtered list can be bookmarked and shared. */
export function stateFromParams(params: URLSearchParams, defaultSort: string): ListState {
  const filters: Record<string, string> = {};
  params.forEach((v, k) => {
    if (k.startsWith('f.')) filters[k.slice(2)] = v;
  });
  return {
    search: params.get('q') ?? '',
    sort: params.get('sort') ?? defaultSort,
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize: Number(params.get('size')) || 20,
    filters,
  };
}

export function stateToParams(state: ListState, defaultSort: string): URLSearchParams {
  const p = new URLSearchParams();
  if (state.search) p.set('q', state.search);
  if (state.sort !== defaultSort) p.set('sort', state.sort);
  if (state.page > 1) p.set('page', String(state.page));
  if (state.pageSize !== 20) p.set('size', String(state.pageSize));
  for (const [k, v] of Object.entries(state.filters)) if (v) p.set(`f.${k}`, v);
  return p;
}

/**
 * The query string of GET /<entity>/export for what a list shows: its search and filters (one `filter`),
 * its sort, and its columns in order. No paging: an export holds every matching record.
 */
export function exportParams(query: Query, sort: string, columns: string[], format = 'csv'): URLSearchParams {
  const p = new URLSearchParams({ format });
  if (Object.keys(query).length) p.set('filter', JSON.stringify(query));
  if (sort) p.set('sort', sort);
  if (columns.length) p.set('fields', columns.join(','));
  return p;
}

/** The file name a download's Content-Disposition gives, else `fallback`. */
export function downloadName(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (star) return decodeURIComponent(star[1]!);
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}
