import { Op, Sequelize, type WhereOptions } from 'sequelize';
import { InvalidQueryError } from '../../errors';
import type { Field } from '../../schema/fields';
import { coerce, hasNul, isPlainObject } from './values';

/**
 * The one filter language (MongoDB-style, as the Base44 SDK sends it) compiled to a Sequelize `where`.
 * Values are always passed to Sequelize as values, never spliced into SQL; only declared identifiers and
 * validated JSON path segments appear in SQL text.
 *
 * Semantics follow MongoDB: an array value means `$in`, `null` matches missing, `$ne`/`$nin`/`$not`/`$nor`
 * match missing, a scalar matches membership in an array field. SQL's three-valued logic would drop NULL
 * rows under NOT, so conditions compiled under a negation are made two-valued first.
 */
export interface FilterFields {
  /** The field named `name` if the caller may filter on it; hidden and unreadable fields are absent. */
  field(name: string): Field | undefined;
}

type Operand =
  { type: 'column'; name: string; field: Field } | { type: 'json'; column: string; path: string[] };

const MAX_DEPTH = 8;
const MAX_CONDITIONS = 200;
const MAX_LIST = 1000;
export const MAX_PATTERN = 256;
const PATH_SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const COMPARABLE = new Set([
  'string',
  'text',
  'email',
  'url',
  'phone',
  'integer',
  'decimal',
  'float',
  'timestamp',
  'enum',
  'uuid',
  'ref',
  'relatedType',
]);
const TEXTUAL = new Set(['string', 'text', 'email', 'url', 'phone', 'enum', 'relatedType']);

const COMPARISONS: Record<string, typeof Op.gt | typeof Op.gte | typeof Op.lt | typeof Op.lte> = {
  $gt: Op.gt,
  $gte: Op.gte,
  $lt: Op.lt,
  $lte: Op.lte,
};
const FALSE = Sequelize.literal('FALSE');
const bad = (message: string, field?: string) =>
  new InvalidQueryError(message, field ? [{ field, message }] : undefined);
// Wrapped in an AND group: Sequelize silently drops `[Op.not]` when its value is a bare `Sequelize.where()`
// or literal (it renders the inner condition without the NOT).
const not = (where: WhereOptions): WhereOptions => ({ [Op.not]: { [Op.and]: [where] } });
const and = (...parts: WhereOptions[]): WhereOptions =>
  parts.length === 1 ? parts[0]! : { [Op.and]: parts };
const or = (...parts: WhereOptions[]): WhereOptions => (parts.length === 1 ? parts[0]! : { [Op.or]: parts });
const label = (o: Operand) => (o.type === 'column' ? o.name : [o.column, ...o.path].join('.'));
const isOperatorObject = (v: unknown): v is Record<string, unknown> =>
  isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));

export function compileFilter(filter: unknown, fields: FilterFields): WhereOptions {
  if (filter === undefined || filter === null) return {};
  if (hasNul(filter)) throw bad('A filter cannot contain the NUL character (\\u0000)');
  return new Compiler(fields).node(filter, false, 0);
}

class Compiler {
  private conditions = 0;
  constructor(private readonly fields: FilterFields) {}

  node(filter: unknown, negated: boolean, depth: number): WhereOptions {
    if (!isPlainObject(filter)) throw bad('A filter must be a JSON object such as {"status": "new"}');
    if (depth > MAX_DEPTH) throw bad(`Filters may nest at most ${MAX_DEPTH} levels deep`);
    const parts: WhereOptions[] = [];
    for (const [key, value] of Object.entries(filter)) {
      if (key === '$and' || key === '$or' || key === '$nor') {
        if (!Array.isArray(value) || value.length === 0)
          throw bad(`${key} takes a non-empty array of filters`);
        const inner = value.map((v) => this.node(v, key === '$nor' ? !negated : negated, depth + 1));
        parts.push(key === '$and' ? and(...inner) : key === '$or' ? or(...inner) : not(or(...inner)));
      } else if (key.startsWith('$')) {
        throw bad(`Unknown operator ${key} (logical operators are $and, $or and $nor)`);
      } else {
        parts.push(this.field(this.resolve(key), value, negated));
      }
    }
    return parts.length ? and(...parts) : {};
  }

  private resolve(path: string): Operand {
    const [head = '', ...rest] = path.split('.');
    const field = this.fields.field(head);
    if (!field) throw bad(`Unknown field "${head}": it cannot be used in a filter`, head);
    if (!rest.length) return { type: 'column', name: head, field };
    if (field.spec.kind !== 'json') throw bad(`"${head}" has no sub-fields to filter on`, path);
    if (!rest.every((s) => PATH_SEGMENT.test(s))) throw bad(`"${path}" is not a valid field path`, path);
    return { type: 'json', column: head, path: rest };
  }

  private field(o: Operand, value: unknown, negated: boolean): WhereOptions {
    if (++this.conditions > MAX_CONDITIONS)
      throw bad(`A filter may have at most ${MAX_CONDITIONS} conditions`);
    if (Array.isArray(value)) return this.op(o, '$in', value, negated, {});
    if (isPlainObject(value)) {
      if (!isOperatorObject(value)) {
        throw bad(`The value for "${label(o)}" must be a value or operators such as {"$gte": 5}`, label(o));
      }
      const ops = Object.entries(value).filter(([op]) => op !== '$options');
      if ('$options' in value && !('$regex' in value)) throw bad('$options goes with $regex', label(o));
      return and(...ops.map(([op, arg]) => this.op(o, op, arg, negated, value)));
    }
    return this.op(o, '$eq', value, negated, {});
  }

  private op(
    o: Operand,
    op: string,
    arg: unknown,
    negated: boolean,
    siblings: Record<string, unknown>,
  ): WhereOptions {
    switch (op) {
      case '$eq':
        return this.eq(o, arg, negated);
      case '$ne':
        return not(this.eq(o, arg, true));
      case '$in':
        return this.inList(o, this.list(o, op, arg), negated);
      case '$nin':
        return not(this.inList(o, this.list(o, op, arg), true));
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        return this.compare(o, op, arg, negated);
      case '$exists':
        if (typeof arg !== 'boolean' && arg !== 'true' && arg !== 'false') {
          throw bad(`$exists on "${label(o)}" takes true or false`, label(o));
        }
        return this.exists(o, arg === true || arg === 'true');
      case '$regex':
      case '$like':
        return this.pattern(o, op, arg, siblings.$options, negated);
      case '$not':
        if (!isOperatorObject(arg))
          throw bad(`$not on "${label(o)}" takes operators, e.g. {"$not": {"$gt": 5}}`);
        return not(this.field(o, arg, !negated));
      case '$all':
      case '$size':
        return this.arrayOp(o, op, arg, negated);
      default:
        throw bad(`Unknown operator ${op} on "${label(o)}"`, label(o));
    }
  }

  private list(o: Operand, op: string, arg: unknown): unknown[] {
    if (!Array.isArray(arg)) throw bad(`${op} on "${label(o)}" takes an array of values`, label(o));
    if (arg.length > MAX_LIST) throw bad(`${op} takes at most ${MAX_LIST} values`, label(o));
    return arg;
  }

  /** Under a negation a condition must be false, not unknown, where the value is missing. */
  private guard(o: Operand, where: WhereOptions, negated: boolean): WhereOptions {
    return negated ? and(where, this.notNull(o)) : where;
  }

  private value(o: Operand & { type: 'column' }, v: unknown, op: string): unknown {
    return coerce(o.field, v, o.name, op);
  }

  private eq(o: Operand, v: unknown, negated: boolean): WhereOptions {
    if (v === null) return this.isNull(o);
    if (o.type === 'json') return this.guard(o, this.jsonEq(o, v), negated);
    if (o.field.spec.kind === 'list') {
      const where = Array.isArray(v)
        ? { [o.name]: { [Op.eq]: v.map((x) => this.value(o, x, '$eq')) } }
        : { [o.name]: { [Op.contains]: [this.value(o, v, '$eq')] } };
      return this.guard(o, where, negated);
    }
    return this.guard(o, { [o.name]: { [Op.eq]: this.value(o, v, '$eq') } }, negated);
  }

  private inList(o: Operand, values: unknown[], negated: boolean): WhereOptions {
    const present = values.filter((v) => v !== null);
    let where: WhereOptions = FALSE;
    if (present.length && o.type === 'json') where = or(...present.map((v) => this.jsonEq(o, v)));
    else if (present.length && o.type === 'column') {
      const coerced = present.map((v) => this.value(o, v, '$in'));
      where = { [o.name]: { [o.field.spec.kind === 'list' ? Op.overlap : Op.in]: coerced } };
    }
    if (present.length) where = this.guard(o, where, negated);
    return values.length > present.length ? or(where, this.isNull(o)) : where;
  }

  private compare(o: Operand, op: string, v: unknown, negated: boolean): WhereOptions {
    const sqlOp = COMPARISONS[op]!;
    if (o.type === 'json') {
      if (v === null || isPlainObject(v) || Array.isArray(v))
        throw bad(`${op} on "${label(o)}" takes a scalar value`);
      return this.guard(o, Sequelize.where(this.jsonExpr(o, '#>'), sqlOp, this.jsonb(v)), negated);
    }
    if (!COMPARABLE.has(o.field.spec.kind)) throw bad(`${op} cannot be used on "${o.name}"`, o.name);
    if (v === null) throw bad(`${op} on "${o.name}" needs a value, not null`, o.name);
    return this.guard(o, { [o.name]: { [sqlOp]: this.value(o, v, op) } }, negated);
  }

  private pattern(o: Operand, op: string, v: unknown, options: unknown, negated: boolean): WhereOptions {
    if (typeof v !== 'string') throw bad(`${op} on "${label(o)}" takes a string`, label(o));
    if (v.length > MAX_PATTERN)
      throw bad(`${op} patterns are limited to ${MAX_PATTERN} characters`, label(o));
    if (options !== undefined && (typeof options !== 'string' || !/^i?$/.test(options))) {
      throw bad('$options supports only "i" (case-insensitive)', label(o));
    }
    const sqlOp = op === '$like' ? Op.iLike : options === 'i' ? Op.iRegexp : Op.regexp;
    if (o.type === 'json') return this.guard(o, Sequelize.where(this.jsonExpr(o, '#>>'), sqlOp, v), negated);
    if (!TEXTUAL.has(o.field.spec.kind))
      throw bad(`${op} works on text fields; "${o.name}" is not one`, o.name);
    const column =
      o.field.spec.kind === 'enum' ? Sequelize.cast(Sequelize.col(o.name), 'text') : Sequelize.col(o.name);
    return this.guard(o, Sequelize.where(column, sqlOp, v), negated);
  }

  private arrayOp(o: Operand, op: string, v: unknown, negated: boolean): WhereOptions {
    if (o.type !== 'column' || o.field.spec.kind !== 'list')
      throw bad(`${op} works on list fields such as tags`, label(o));
    if (op === '$size') {
      if (!Number.isInteger(Number(v)) || Number(v) < 0) throw bad('$size takes a whole number', o.name);
      const size = Sequelize.fn('coalesce', Sequelize.fn('cardinality', Sequelize.col(o.name)), 0);
      return this.guard(o, Sequelize.where(size, Op.eq, Number(v)), negated);
    }
    const values = this.list(o, op, v).map((x) => this.value(o, x, op));
    return this.guard(o, { [o.name]: { [Op.contains]: values } }, negated);
  }

  private jsonExpr(o: Operand & { type: 'json' }, operator: '#>' | '#>>') {
    return Sequelize.literal(`"${o.column}" ${operator} '{${o.path.join(',')}}'`);
  }

  private jsonb(v: unknown) {
    return Sequelize.cast(JSON.stringify(v), 'jsonb');
  }

  /** Equal to the value, or — for a JSON array — containing it; strings also match numbers written alike. */
  private jsonEq(o: Operand & { type: 'json' }, v: unknown): WhereOptions {
    if (isPlainObject(v) || Array.isArray(v))
      throw bad(`Compare "${label(o)}" with a scalar value`, label(o));
    const contains = Sequelize.where(this.jsonExpr(o, '#>'), Op.contains, this.jsonb(v));
    return typeof v === 'string'
      ? or(Sequelize.where(this.jsonExpr(o, '#>>'), Op.eq, v), contains)
      : contains;
  }

  /** MongoDB's $exists: a JSON member holding null exists; a column cannot tell null from missing. */
  private exists(o: Operand, exists: boolean): WhereOptions {
    if (o.type === 'column') return exists ? this.notNull(o) : this.isNull(o);
    return Sequelize.where(this.jsonExpr(o, '#>'), exists ? Op.not : Op.is, null);
  }

  private isNull(o: Operand): WhereOptions {
    if (o.type === 'column') return { [o.name]: { [Op.is]: null } };
    return Sequelize.where(
      Sequelize.fn('coalesce', Sequelize.fn('jsonb_typeof', this.jsonExpr(o, '#>')), 'null'),
      Op.eq,
      'null',
    );
  }

  private notNull(o: Operand): WhereOptions {
    if (o.type === 'column') return { [o.name]: { [Op.not]: null } };
    return Sequelize.where(
      Sequelize.fn('coalesce', Sequelize.fn('jsonb_typeof', this.jsonExpr(o, '#>')), 'null'),
      Op.ne,
      'null',
    );
  }
}

/** Case-insensitive substring search across the given text fields. */
export function compileSearch(term: string, fields: { name: string; field: Field }[]): WhereOptions {
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  if (!fields.length) return FALSE;
  return or(
    ...fields.map(({ name, field }) =>
      Sequelize.where(
        field.spec.kind === 'enum' ? Sequelize.cast(Sequelize.col(name), 'text') : Sequelize.col(name),
        Op.iLike,
        pattern,
      ),
    ),
  );
}
