import { InvalidQueryError } from '../../errors';
import type { Field } from '../../schema/fields';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Dates before year 1 are refused: the driver writes BC years in a form PostgreSQL misreads. */
export const EARLIEST_DATE = new Date('0001-01-01T00:00:00.000Z');

/** PostgreSQL cannot store U+0000 in text or jsonb, so a value carrying one is refused before it gets there. */
export function hasNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some(hasNul);
  if (isPlainObject(v)) return Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x));
  return false;
}

const fail = (field: string, message: string) =>
  new InvalidQueryError(`Filter on "${field}": ${message}`, [{ field, message }]);

/**
 * Turns a filter value into what the column holds. Query strings carry only text, so numbers, booleans and
 * dates are accepted in their text form too; anything that cannot be the field's type is a 400, not a
 * database error.
 */
export function coerce(field: Field, v: unknown, name: string, op: string): unknown {
  const s = field.spec;
  const shown = JSON.stringify(v);
  switch (s.kind) {
    case 'integer':
    case 'decimal':
    case 'float': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw fail(name, `${shown} is not a number`);
      if (s.kind === 'integer' && !Number.isInteger(n)) throw fail(name, `${shown} is not a whole number`);
      return n;
    }
    case 'boolean':
      if (v === true || v === 'true' || v === '1') return true;
      if (v === false || v === 'false' || v === '0') return false;
      throw fail(name, `${shown} is not true or false`);
    case 'timestamp': {
      const d = typeof v === 'string' || typeof v === 'number' ? new Date(v) : undefined;
      if (!d || Number.isNaN(d.getTime()))
        throw fail(name, `${shown} is not a date (use ISO 8601, e.g. 2026-01-31T00:00:00Z)`);
      if (d < EARLIEST_DATE) throw fail(name, `${shown} is before the year 1`);
      return d;
    }
    case 'uuid':
    case 'ref':
      if (typeof v !== 'string' || !UUID.test(v)) throw fail(name, `${shown} is not a valid id`);
      return v.toLowerCase();
    case 'enum':
      if (typeof v !== 'string' || !s.values?.includes(v)) {
        throw fail(name, `${shown} is not one of ${s.values?.join(', ')}`);
      }
      return v;
    case 'json':
      throw fail(name, `filter inside it with a path such as "${name}.key"`);
    default: {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw fail(name, `${shown} is not text`);
      }
      const text = String(v);
      const caseless = s.kind === 'email' || (s.kind === 'list' && s.itemKind === 'email');
      return caseless && op !== '$regex' && op !== '$like' ? text.toLowerCase() : text;
    }
  }
}
