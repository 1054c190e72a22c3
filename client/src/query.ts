/**
 * Base44 calls → /api/v1 list parameters. Simple conditions become readable query-string filters
 * (`status=new`, `lead_score[gte]=50`, `status[in]=new,contacted`); whatever the query string cannot say
 * exactly (null, booleans, `$regex`, `$or`, nested paths with objects...) goes whole as `filter=<JSON>`, which
 * the server reads in the same MongoDB-style language and ANDs with the rest.
 */
export type Query = Record<string, unknown>;

/** Base44's built-in timestamps are our created_at / updated_at. */
const ALIASES: Record<string, string> = { created_date: 'created_at', updated_date: 'updated_at' };

/** Operators whose value the server converts to the field's type from text, as `field[op]=value`. */
export const TEXT_OPERATORS: Record<string, string> = {
  $eq: 'eq',
  $ne: 'ne',
  $gt: 'gt',
  $gte: 'gte',
  $lt: 'lt',
  $lte: 'lte',
  $in: 'in',
  $nin: 'nin',
};
const LIST_OPERATORS = new Set(['$in', '$nin']);
/**
 * Parameter names the server reads as list options; a field so named can only be filtered in JSON.
 * The server keeps the same list (this package cannot import it); tests/unit/client-query-params.test.ts
 * checks the two agree.
 */
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

const FIELD = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)*$/;

const alias = (field: string) => ALIASES[field] ?? field;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string | number =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const isList = (v: unknown): v is (string | number)[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => isText(x) && !String(x).includes(','));

function withAliases(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withAliases);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [alias(k), withAliases(v)]));
}

/** The query-string pairs for one field's condition, or undefined if the query string cannot express it. */
function textConditions(field: string, condition: unknown): [string, string][] | undefined {
  if (!FIELD.test(field) || LIST_OPTIONS.has(field)) return undefined;
  if (isText(condition)) return [[field, String(condition)]];
  if (Array.isArray(condition))
    return isList(condition) ? [[`${field}[in]`, condition.join(',')]] : undefined;
  if (!isPlainObject(condition)) return undefined;
  const pairs: [string, string][] = [];
  for (const [op, value] of Object.entries(condition)) {
    const name = TEXT_OPERATORS[op];
    if (!name) return undefined;
    if (LIST_OPERATORS.has(op)) {
      if (!isList(value)) return undefined;
      pairs.push([`${field}[${name}]`, value.join(',')]);
    } else if (isText(value)) pairs.push([`${field}[${name}]`, String(value)]);
    else return undefined;
  }
  return pairs.length ? pairs : undefined;
}

export function filterParams(query: Query | undefined, params: URLSearchParams): void {
  if (!query) return;
  const rest: Query = {};
  for (const [key, condition] of Object.entries(query)) {
    const field = alias(key);
    const pairs = textConditions(field, condition);
    if (pairs) for (const [k, v] of pairs) params.append(k, v);
    else rest[field] = withAliases(condition);
  }
  if (Object.keys(rest).length) params.set('filter', JSON.stringify(rest));
}

/** `-created_date` or `['-lead_score', 'last_name']` → `sort=-created_at` / `sort=-lead_score,last_name`. */
export function sortParam(sort: string | string[] | undefined): string | undefined {
  if (sort === undefined || sort === '') return undefined;
  const keys = (Array.isArray(sort) ? sort : sort.split(','))
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith('-') ? `-${alias(s.slice(1))}` : alias(s.replace(/^\+/, ''))));
  return keys.join(',') || undefined;
}

export function fieldsParam(fields: string | string[] | undefined): string | undefined {
  if (fields === undefined) return undefined;
  const list = Array.isArray(fields) ? fields : fields.split(',');
  return (
    list
      .map((f) => alias(f.trim()))
      .filter(Boolean)
      .join(',') || undefined
  );
}
