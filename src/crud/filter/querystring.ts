import { InvalidQueryError } from '../../errors';

/** `field[op]` in a query string → the filter language's operator. */
export const OPERATORS: Record<string, string> = {
  eq: '$eq',
  ne: '$ne',
  gt: '$gt',
  gte: '$gte',
  lt: '$lt',
  lte: '$lte',
  in: '$in',
  nin: '$nin',
  exists: '$exists',
  like: '$like',
  regex: '$regex',
  all: '$all',
  size: '$size',
};
const LIST_OPERATORS = new Set(['$in', '$nin', '$all']);
const KEY = /^([A-Za-z0-9_]+(?:\.[A-Za-z0-9_-]+)*)(?:\[([a-z]+)\])?$/;

const COMPARISONS = new Set(['$gt', '$gte', '$lt', '$lte']);
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A JSON path (`custom_fields.rank`) has no declared type to convert text to, and JSON orders every string
 * after every number; so a number compared from a query string is compared as a number. (Equality needs no
 * help: the compiler matches text against numbers written alike.)
 */
function jsonComparand(field: string, op: string, value: string): string | number {
  return field.includes('.') && COMPARISONS.has(op) && NUMBER.test(value) ? Number(value) : value;
}

/**
 * `?status=new&lead_score[gte]=50&status[in]=new,contacted` → `{status: {$eq: 'new'}, lead_score: {$gte: '50'}, ...}`.
 * Values stay text; the compiler converts them to each field's type.
 */
export function querystringFilter(params: Record<string, string | string[]>): Record<string, unknown> {
  const filter: Record<string, Record<string, unknown>> = {};
  for (const [key, raw] of Object.entries(params)) {
    const m = KEY.exec(key);
    if (!m)
      throw new InvalidQueryError(`Unknown query parameter "${key}"`, [
        { field: key, message: 'not recognised' },
      ]);
    const [, field = '', name = 'eq'] = m;
    const op = OPERATORS[name];
    if (!op) {
      throw new InvalidQueryError(
        `Unknown operator [${name}] on "${field}" (use ${Object.keys(OPERATORS).join(', ')})`,
        [{ field, message: `unknown operator ${name}` }],
      );
    }
    const values = Array.isArray(raw) ? raw : [raw];
    const conditions = (filter[field] ??= {});
    if (LIST_OPERATORS.has(op)) conditions[op] = values.flatMap((v) => v.split(',')).map((v) => v.trim());
    else if (op === '$eq' && values.length > 1) conditions.$in = values;
    else conditions[op] = jsonComparand(field, op, values[values.length - 1]!);
  }
  return filter;
}
