import { InvalidQueryError } from '../errors';
import type { Values } from '../schema/entity';
import type { Field } from '../schema/fields';
import { isPlainObject } from './filter/values';

/**
 * MongoDB update operators (`$set $unset $inc $mul $min $max $rename $currentDate $addToSet $push $pull`),
 * turned into the plain patch each record gets. The patch then goes through the normal update path, so
 * validation, hooks, permissions and change events apply to every record.
 */
export type UpdateOperators = Record<string, Record<string, unknown>>;

const OPERATORS = [
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$addToSet',
  '$push',
  '$pull',
];
const NUMERIC = new Set(['integer', 'decimal', 'float']);
const PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)*$/;

const bad = (message: string, field?: string) =>
  new InvalidQueryError(message, field ? [{ field, message }] : undefined);

/** Checks the operator object once, before any record is touched. */
export function checkUpdateOperators(
  data: unknown,
  fieldOf: (name: string) => Field | undefined,
): UpdateOperators {
  if (!isPlainObject(data) || Object.keys(data).length === 0) {
    throw bad('Send update operators, e.g. {"$set": {"status": "done"}}');
  }
  const seen = new Set<string>();
  for (const [op, fields] of Object.entries(data)) {
    if (!OPERATORS.includes(op)) throw bad(`Unknown update operator ${op} (use ${OPERATORS.join(' ')})`, op);
    if (!isPlainObject(fields)) throw bad(`${op} takes an object of fields`, op);
    for (const [path, arg] of Object.entries(fields)) {
      const [head = ''] = path.split('.');
      const field = fieldOf(head);
      if (!PATH.test(path) || !field) throw bad(`Unknown field "${path}" in ${op}`, path);
      if (path.includes('.') && (field.spec.kind !== 'json' || !['$set', '$unset'].includes(op))) {
        throw bad(`Only $set and $unset reach inside ${head}`, path);
      }
      if (seen.has(path)) throw bad(`"${path}" appears in more than one operator`, path);
      seen.add(path);
      if ((op === '$inc' || op === '$mul') && (typeof arg !== 'number' || !NUMERIC.has(field.spec.kind))) {
        throw bad(`${op} takes a number, on a number field`, path);
      }
      if (['$addToSet', '$push', '$pull'].includes(op) && field.spec.kind !== 'list') {
        throw bad(`${op} works on list fields such as tags`, path);
      }
      if (op === '$rename') {
        if (typeof arg !== 'string' || !fieldOf(arg))
          throw bad(`$rename needs the name of another field`, path);
        if (seen.has(arg)) throw bad(`"${arg}" appears in more than one operator`, arg);
        seen.add(arg);
      }
    }
  }
  return data as UpdateOperators;
}

const each = (arg: unknown): unknown[] =>
  isPlainObject(arg) && Array.isArray(arg.$each) ? arg.$each : [arg];

function compare(a: unknown, b: unknown): number {
  const n = (v: unknown) =>
    v instanceof Date
      ? v.getTime()
      : typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /^\d{4}-/.test(v)
        ? Date.parse(v)
        : v;
  const x = n(a);
  const y = n(b);
  if (typeof x === 'string' && typeof y === 'string') return x.localeCompare(y);
  return Number(x) - Number(y);
}

function setPath(target: Values, path: string[], value: unknown): Values {
  const [head, ...rest] = path;
  if (!head) return target;
  const out = { ...target };
  if (!rest.length) {
    if (value === undefined) delete out[head];
    else out[head] = value;
    return out;
  }
  out[head] = setPath(isPlainObject(out[head]) ? (out[head] as Values) : {}, rest, value);
  return out;
}

/** The patch that applies `ops` to one stored record. */
export function applyUpdateOperators(ops: UpdateOperators, row: Values, now = new Date()): Values {
  const patch: Values = {};
  const current = (name: string) => (name in patch ? patch[name] : row[name]);
  for (const [op, fields] of Object.entries(ops)) {
    for (const [path, arg] of Object.entries(fields)) {
      const [name = '', ...inner] = path.split('.');
      const value = current(name);
      switch (op) {
        case '$set':
        case '$unset': {
          const next = op === '$set' ? arg : undefined;
          patch[name] = inner.length ? setPath((value as Values | null) ?? {}, inner, next) : (next ?? null);
          break;
        }
        case '$inc':
          patch[name] = Number(value ?? 0) + (arg as number);
          break;
        case '$mul':
          patch[name] = Number(value ?? 0) * (arg as number);
          break;
        case '$min':
        case '$max':
          if (
            value === null ||
            value === undefined ||
            (op === '$min' ? compare(arg, value) < 0 : compare(arg, value) > 0)
          )
            patch[name] = arg;
          break;
        case '$rename':
          patch[arg as string] = value ?? null;
          patch[name] = null;
          break;
        case '$currentDate':
          patch[name] = now.toISOString();
          break;
        case '$addToSet': {
          const list = [...((value as unknown[] | null) ?? [])];
          for (const v of each(arg))
            if (!list.some((x) => JSON.stringify(x) === JSON.stringify(v))) list.push(v);
          patch[name] = list;
          break;
        }
        case '$push':
          patch[name] = [...((value as unknown[] | null) ?? []), ...each(arg)];
          break;
        case '$pull': {
          const out = isPlainObject(arg) && Array.isArray(arg.$in) ? arg.$in : [arg];
          patch[name] = ((value as unknown[] | null) ?? []).filter(
            (x) => !out.some((v) => JSON.stringify(v) === JSON.stringify(x)),
          );
          break;
        }
      }
    }
  }
  return patch;
}
