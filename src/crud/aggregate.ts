import Joi from 'joi';
import {
  Op,
  Sequelize,
  type FindAttributeOptions,
  type GroupOption,
  type Order,
  type WhereOptions,
} from 'sequelize';
import { InvalidQueryError } from '../errors';
import type { Field } from '../schema/fields';
import { detailsOf } from './validation';

/**
 * Aggregation as SQL GROUP BY: group by fields and/or a date bucket, then count, sum, avg, min, max and
 * count distinct — never by loading rows into Node. Result rows carry the group fields by name plus
 * `count`, `sum_<f>`, `avg_<f>`, `min_<f>`, `max_<f>` and `count_distinct_<f>`.
 */
export interface AggregateSpec {
  filter?: unknown;
  search?: string;
  groupBy: string[];
  dateBucket?: { field: string; unit: DateUnit; as: string; timezone: string };
  count: boolean;
  sum: string[];
  avg: string[];
  min: string[];
  max: string[];
  countDistinct: string[];
  having?: Record<string, unknown>;
  sort?: string;
  limit: number;
}

export type DateUnit = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';
export const MAX_GROUPS = 1000;
const NUMERIC = new Set(['integer', 'decimal', 'float']);
const ORDERED = new Set([
  ...NUMERIC,
  'timestamp',
  'string',
  'text',
  'email',
  'enum',
  'uuid',
  'ref',
  'relatedType',
  'phone',
  'url',
]);
const GROUPABLE = new Set([...ORDERED, 'boolean']);

const fieldList = Joi.alternatives(
  Joi.array().items(Joi.string()).max(10),
  Joi.string().custom((s: string) => s.split(',').map((x) => x.trim())),
);
/** The body of an aggregation request; the OpenAPI document shows this schema too. */
export const aggregateSpecSchema = Joi.object({
  filter: Joi.any(),
  query: Joi.any(),
  q: Joi.any(),
  search: Joi.string().allow('').max(200),
  groupBy: fieldList,
  group_by: fieldList,
  dateBucket: Joi.object(),
  date_bucket: Joi.object(),
  count: Joi.boolean(),
  sum: fieldList,
  avg: fieldList,
  min: fieldList,
  max: fieldList,
  countDistinct: fieldList,
  count_distinct: fieldList,
  having: Joi.object().unknown(true),
  sort: Joi.alternatives(Joi.string(), Joi.array().items(Joi.string())),
  limit: Joi.number().integer().min(1).max(MAX_GROUPS),
}).messages({ 'object.unknown': '{{#label}} is not part of an aggregation' });

const bucketSchema = Joi.object({
  field: Joi.string().required(),
  unit: Joi.string().valid('hour', 'day', 'week', 'month', 'quarter', 'year').default('day'),
  interval: Joi.string().valid('hour', 'day', 'week', 'month', 'quarter', 'year'),
  as: Joi.string().pattern(/^[a-z_][a-z0-9_]*$/i),
  timezone: Joi.string()
    .max(64)
    .pattern(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/)
    .default('UTC'),
});

/** Reads a request body (camelCase or snake_case, as the Base44 SDK sends either) into a spec. */
export function parseAggregateSpec(body: unknown): AggregateSpec {
  const { value, error } = aggregateSpecSchema.validate(body ?? {}, {
    abortEarly: false,
    errors: { wrap: { label: false } },
  });
  if (error) throw new InvalidQueryError('The aggregation is not valid', detailsOf(error));
  const v = value as Record<string, unknown>;
  const list = (a: unknown, b?: unknown) => ((a ?? b ?? []) as string[]).filter(Boolean);
  let dateBucket: AggregateSpec['dateBucket'];
  const rawBucket = v.dateBucket ?? v.date_bucket;
  if (rawBucket) {
    const { value: b, error: e } = bucketSchema.validate(rawBucket, {
      abortEarly: false,
      errors: { wrap: { label: false } },
    });
    if (e) throw new InvalidQueryError('The date bucket is not valid', detailsOf(e));
    const unit = (b.interval ?? b.unit) as DateUnit;
    dateBucket = { field: b.field, unit, as: b.as ?? b.field, timezone: b.timezone };
  }
  const metrics = {
    sum: list(v.sum),
    avg: list(v.avg),
    min: list(v.min),
    max: list(v.max),
    countDistinct: list(v.countDistinct, v.count_distinct),
  };
  return {
    filter: v.filter ?? v.query ?? v.q,
    search: v.search as string | undefined,
    groupBy: list(v.groupBy, v.group_by),
    dateBucket,
    count: (v.count as boolean | undefined) ?? true,
    ...metrics,
    having: v.having as Record<string, unknown> | undefined,
    sort: Array.isArray(v.sort) ? v.sort.join(',') : (v.sort as string | undefined),
    limit: (v.limit as number | undefined) ?? 100,
  };
}

interface Compiled {
  attributes: FindAttributeOptions;
  /** Column names, or the bucket expression itself: GROUP BY would read a bare name as the raw column. */
  group: GroupOption;
  having?: WhereOptions;
  order: Order;
  /** Result column → how to read it back. */
  readers: Map<string, 'number' | 'date' | 'raw'>;
}

const bad = (message: string, field?: string) =>
  new InvalidQueryError(message, field ? [{ field, message }] : undefined);

/** Builds the SELECT list, GROUP BY, HAVING and ORDER BY; every name is checked against what the caller may read. */
export function compileAggregate(
  spec: AggregateSpec,
  fieldOf: (name: string) => Field | undefined,
): Compiled {
  const use = (name: string, allowed: Set<string>, purpose: string) => {
    const field = fieldOf(name);
    if (!field) throw bad(`Unknown field "${name}" in ${purpose}`, name);
    if (!allowed.has(field.spec.kind)) throw bad(`"${name}" cannot be used for ${purpose}`, name);
    return field;
  };
  const attributes: [unknown, string][] = [];
  const group: (string | ReturnType<typeof Sequelize.fn>)[] = [];
  const readers = new Map<string, 'number' | 'date' | 'raw'>();
  const expressions = new Map<string, unknown>();

  for (const name of spec.groupBy) {
    use(name, GROUPABLE, 'grouping');
    attributes.push([Sequelize.col(name), name]);
    group.push(name);
    const kind = fieldOf(name)!.spec.kind;
    readers.set(name, kind === 'decimal' ? 'number' : kind === 'timestamp' ? 'date' : 'raw');
  }
  if (spec.dateBucket) {
    const { field, unit, as, timezone } = spec.dateBucket;
    if (use(field, ORDERED, 'a date bucket').spec.kind !== 'timestamp')
      throw bad(`"${field}" is not a date`, field);
    if (readers.has(as)) throw bad(`The date bucket's name "${as}" is already a group`, as);
    // Truncate in the caller's time zone, then turn the local bucket start back into an instant.
    const local = Sequelize.fn('date_trunc', unit, Sequelize.fn('timezone', timezone, Sequelize.col(field)));
    const bucket = Sequelize.fn('timezone', timezone, local);
    attributes.push([bucket, as]);
    expressions.set(as, bucket);
    group.push(bucket);
    readers.set(as, 'date');
  }
  const metric = (prefix: string, fn: string, names: string[], allowed: Set<string>, distinct = false) => {
    for (const name of names) {
      use(name, allowed, `${prefix.replace(/_$/, '')}`);
      const key = `${prefix}${name}`;
      const expr = distinct
        ? Sequelize.fn('COUNT', Sequelize.fn('DISTINCT', Sequelize.col(name)))
        : Sequelize.fn(fn, Sequelize.col(name));
      attributes.push([expr, key]);
      expressions.set(key, expr);
      readers.set(
        key,
        fn === 'MIN' || fn === 'MAX'
          ? fieldOf(name)!.spec.kind === 'timestamp'
            ? 'date'
            : NUMERIC.has(fieldOf(name)!.spec.kind)
              ? 'number'
              : 'raw'
          : 'number',
      );
    }
  };
  if (spec.count) {
    const count = Sequelize.fn('COUNT', Sequelize.col('id'));
    attributes.push([count, 'count']);
    expressions.set('count', count);
    readers.set('count', 'number');
  }
  metric('sum_', 'SUM', spec.sum, NUMERIC);
  metric('avg_', 'AVG', spec.avg, NUMERIC);
  metric('min_', 'MIN', spec.min, ORDERED);
  metric('max_', 'MAX', spec.max, ORDERED);
  metric('count_distinct_', 'COUNT', spec.countDistinct, GROUPABLE, true);
  if (!readers.size) throw bad('Ask for at least one group or measure');

  const order: [unknown, string][] = [];
  for (const raw of (spec.sort ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const name = raw.replace(/^[-+]/, '');
    if (!readers.has(name))
      throw bad(`Cannot sort by "${name}": sort by a group or a measure of this aggregation`, name);
    order.push([expressions.get(name) ?? Sequelize.col(name), raw.startsWith('-') ? 'DESC' : 'ASC']);
  }
  if (!order.length) for (const g of group) order.push([typeof g === 'string' ? Sequelize.col(g) : g, 'ASC']);

  return {
    attributes: attributes as FindAttributeOptions,
    group: group as GroupOption,
    having: spec.having ? compileHaving(spec.having, expressions) : undefined,
    order: order as Order,
    readers,
  };
}

const HAVING_OPS: Record<string, symbol> = {
  $eq: Op.eq,
  $ne: Op.ne,
  $gt: Op.gt,
  $gte: Op.gte,
  $lt: Op.lt,
  $lte: Op.lte,
};

/** `{ count: { $gte: 5 }, sum_amount: { $gt: 1000 } }` over the measures of this aggregation. */
function compileHaving(having: Record<string, unknown>, expressions: Map<string, unknown>): WhereOptions {
  const parts: WhereOptions[] = [];
  for (const [name, condition] of Object.entries(having)) {
    const expr = expressions.get(name);
    if (!expr) throw bad(`having can only test measures of this aggregation; "${name}" is not one`, name);
    const ops =
      typeof condition === 'object' && condition !== null
        ? (condition as Record<string, unknown>)
        : { $eq: condition };
    for (const [op, value] of Object.entries(ops)) {
      if (!HAVING_OPS[op] || typeof value !== 'number')
        throw bad(`having ${name}: use $eq $ne $gt $gte $lt $lte with a number`, name);
      parts.push(Sequelize.where(expr as never, HAVING_OPS[op] as never, value));
    }
  }
  return { [Op.and]: parts };
}

/** node-postgres reads COUNT/SUM as text: turn result rows into JSON numbers and ISO dates. */
export function readAggregateRow(
  row: Record<string, unknown>,
  readers: Map<string, 'number' | 'date' | 'raw'>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, kind] of readers) {
    const v = row[name];
    out[name] =
      v === null || v === undefined
        ? null
        : kind === 'number'
          ? Number(v)
          : kind === 'date'
            ? new Date(v as string).toISOString()
            : v;
  }
  return out;
}
