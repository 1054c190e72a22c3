import { DEFAULT_LIMIT, MAX_LIMIT } from '../../crud/crud-service';
import type { QueryParam } from './types';

const int = (minimum: number, maximum?: number) => ({
  type: 'integer',
  minimum,
  ...(maximum ? { maximum } : {}),
});

export const pageParams: QueryParam[] = [
  { name: 'page', description: 'Page number, from 1', schema: int(1) },
  { name: 'limit', description: `Records per page (default ${DEFAULT_LIMIT})`, schema: int(1, MAX_LIMIT) },
];

/** The /api/v1 list parameters every entity takes; field filters are added per entity. */
export const listParams: QueryParam[] = [
  ...pageParams,
  { name: 'offset', description: 'Records to skip, instead of `page`', schema: int(0) },
  {
    name: 'sort',
    description: 'Fields, `-` for descending: `-created_at,last_name`',
    schema: { type: 'string' },
  },
  { name: 'fields', description: 'Only these fields: `id,email`', schema: { type: 'string' } },
  {
    name: 'search',
    description: "Case-insensitive search over the entity's searchable fields",
    schema: { type: 'string' },
  },
  {
    name: 'filter',
    description:
      'A JSON filter in MongoDB style (`$eq $ne $gt $gte $lt $lte $in $nin $exists $regex $not $all $size $like $and $or $nor`), AND-ed with the field parameters',
    schema: { type: 'string' },
  },
  {
    name: 'cursor',
    description:
      'Keyset paging: empty for the first page, then `meta.next_cursor`; the same cost at any depth',
    schema: { type: 'string' },
  },
  {
    name: 'count',
    description:
      "`meta.total`: `true` (the default in page mode) counts up to the server's limit (LIST_COUNT_LIMIT, 1,000 by default) and beyond it sets `total_exact: false`; `exact` counts every match; `false` skips counting (the default with `cursor`)",
    schema: { type: 'string', enum: ['true', 'false', 'exact'] },
  },
];

/** Names the list parameters use, which field filters must not repeat. */
export const RESERVED_QUERY_NAMES = new Set(listParams.map((p) => p.name));
