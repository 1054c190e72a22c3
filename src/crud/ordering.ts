import crypto from 'node:crypto';
import { Op, Sequelize, type Order, type WhereOptions } from 'sequelize';
import { InvalidQueryError } from '../errors';
import type { Field } from '../schema/fields';

export interface SortKey {
  field: string;
  desc: boolean;
}

const MAX_SORT_KEYS = 5;
const UNSORTABLE = new Set(['json', 'list']);

/**
 * `-created_at,last_name` → sort keys, each checked against what the caller may sort on. `id` always ends
 * the list (in the direction of the last key) so the order is total and keyset paging can resume from it.
 */
export function parseSort(spec: string | undefined, fieldOf: (name: string) => Field | undefined): SortKey[] {
  const keys: SortKey[] = [];
  for (const raw of (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const desc = raw.startsWith('-');
    const name = raw.replace(/^[-+]/, '');
    const field = fieldOf(name);
    if (!field)
      throw new InvalidQueryError(`Cannot sort by "${name}": no such field`, [
        { field: name, message: 'unknown field' },
      ]);
    if (UNSORTABLE.has(field.spec.kind)) {
      throw new InvalidQueryError(`Cannot sort by "${name}"`, [
        { field: name, message: `${field.spec.kind} fields are not sortable` },
      ]);
    }
    if (!keys.some((k) => k.field === name)) keys.push({ field: name, desc });
  }
  if (keys.length > MAX_SORT_KEYS) throw new InvalidQueryError(`Sort by at most ${MAX_SORT_KEYS} fields`);
  if (!keys.some((k) => k.field === 'id'))
    keys.push({ field: 'id', desc: keys[keys.length - 1]?.desc ?? false });
  return keys;
}

export const orderBy = (keys: SortKey[]): Order => keys.map((k) => [k.field, k.desc ? 'DESC' : 'ASC']);

/** An opaque position in a listing, bound to the query and the user it was issued for. */
export class Cursors {
  constructor(private readonly key: string) {}

  sign(context: unknown): string {
    return crypto
      .createHmac('sha256', this.key)
      .update(JSON.stringify(context))
      .digest('base64url')
      .slice(0, 22);
  }

  encode(values: unknown[], context: unknown): string {
    return Buffer.from(JSON.stringify({ k: values, s: this.sign(context) })).toString('base64url');
  }

  decode(token: string, context: unknown, keyCount: number): unknown[] {
    let parsed: { k?: unknown; s?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      throw new InvalidQueryError('The cursor is malformed: pass back the next_cursor of a previous page');
    }
    if (!Array.isArray(parsed.k) || parsed.k.length !== keyCount || parsed.s !== this.sign(context)) {
      throw new InvalidQueryError(
        'The cursor does not belong to this query: keep filter, sort and search unchanged while paging',
      );
    }
    return parsed.k;
  }
}

/**
 * Rows strictly after `values` in the order of `keys` (PostgreSQL puts NULLs last ascending and first
 * descending). When every key is NOT NULL and runs one way, a row comparison lets an index seek straight to
 * the position, so a page deep in the set costs what the first page costs.
 */
export function keysetWhere(
  keys: SortKey[],
  values: unknown[],
  nullable: (field: string) => boolean,
): WhereOptions {
  const sameWay = keys.every((k) => k.desc === keys[0]!.desc);
  if (sameWay && keys.every((k, i) => !nullable(k.field) && values[i] !== null)) {
    const columns = keys.map((k) => `"${k.field}"`).join(', ');
    // ROW(...) rather than a literal tuple: its items are values, which a statement can bind.
    return Sequelize.where(
      Sequelize.literal(`(${columns})`),
      keys[0]!.desc ? Op.lt : Op.gt,
      Sequelize.fn('ROW', ...values),
    );
  }
  const branches: WhereOptions[] = [];
  keys.forEach((key, i) => {
    const after = strictlyAfter(key, values[i]);
    if (!after) return;
    const ties = keys
      .slice(0, i)
      .map((k, j) => ({ [k.field]: values[j] === null ? { [Op.is]: null } : { [Op.eq]: values[j] } }));
    branches.push({ [Op.and]: [...ties, after] });
  });
  return branches.length ? { [Op.or]: branches } : Sequelize.literal('FALSE');
}

function strictlyAfter(key: SortKey, v: unknown): WhereOptions | undefined {
  if (key.desc) return v === null ? { [key.field]: { [Op.not]: null } } : { [key.field]: { [Op.lt]: v } };
  return v === null
    ? undefined
    : { [Op.or]: [{ [key.field]: { [Op.gt]: v } }, { [key.field]: { [Op.is]: null } }] };
}
