import { literal, Op, Utils, type WhereOptions } from 'sequelize';
import { isPlainObject } from './filter/values';

type Literal = ReturnType<typeof literal>;

// Compared for equality or membership. PostgreSQL estimates how many rows match from the column's
// statistics alone, so one plan fits every value.
const EQUALITIES: ReadonlySet<symbol> = new Set([Op.eq, Op.ne, Op.in, Op.notIn]);

/**
 * A statement's values, bound as `$1`, `$2`… instead of written into its text. Sequelize writes a `findAll`'s
 * values into the SQL, so every request is a new text that PostgreSQL parses and plans again (for a sales
 * rep's list, more of its CPU than running the statement; docs/PERFORMANCE.md). Bound, the same query shape
 * is the same text whatever the values, and can stay prepared on a connection (db/fixed-statement.ts).
 */
export class BoundValues {
  readonly values: unknown[] = [];
  /**
   * Whether one plan serves every value: each is compared for equality or membership. For a range, a pattern
   * (a search) or a containment, the plan a prepared statement settles on guesses how many rows match, and
   * beside a LIMIT a wrong guess reads a whole table for one page. Such statements are better planned for
   * their values each time.
   */
  planFitsAnyValue = true;

  param(value: unknown, op: symbol = Op.eq): Literal {
    if (!EQUALITIES.has(op)) this.planFitsAnyValue = false;
    this.values.push(value);
    return literal(`$${this.values.length}`);
  }
}

// Operators whose operand is SQL syntax or a column, not a value: `IS NULL`, `IS NOT TRUE`, `= "other"`. And
// AND/OR inside one column's operators (`{score: {[Op.or]: [1, 2]}}`): Sequelize writes a parameter there as
// the whole condition, without the column.
const SYNTAX: ReadonlySet<symbol> = new Set([
  Op.is,
  Op.not,
  Op.col,
  Op.any,
  Op.all,
  Op.values,
  Op.placeholder,
  Op.and,
  Op.or,
]);
// Operators whose array operand is a list of values, each its own parameter.
const LISTS: ReadonlySet<symbol> = new Set([Op.in, Op.notIn, Op.between, Op.notBetween]);
const BETWEEN: ReadonlySet<symbol> = new Set([Op.between, Op.notBetween]);
const GROUPS: ReadonlySet<symbol> = new Set([Op.and, Op.or, Op.not]);

const isScalar = (v: unknown): boolean =>
  ['string', 'number', 'bigint', 'boolean'].includes(typeof v) || v instanceof Date || Buffer.isBuffer(v);

/**
 * `where` with its values bound in `bound`. What it cannot tell to be a value (a literal's text, an array
 * given straight to a column, the operand of `IS`, an object compared with a JSON column) stays written into
 * the SQL: correct either way, it only makes the text depend on that value.
 */
export function bindWhere(where: WhereOptions, bound: BoundValues): WhereOptions {
  return bindConditions(where, bound) as WhereOptions;
}

/** A where object: its keys are columns or logical operators. */
function bindConditions(node: unknown, bound: BoundValues): unknown {
  if (Array.isArray(node)) return node.map((n) => bindConditions(n, bound));
  if (node instanceof Utils.SequelizeMethod) return bindExpression(node, Op.eq, bound);
  if (!isPlainObject(node)) return node;
  return mapEntries(node, (key, value) =>
    typeof key === 'symbol' && GROUPS.has(key) && typeof value === 'object' && value !== null
      ? bindConditions(value, bound)
      : bindOperand(key, value, bound),
  );
}

/** What a column (a string key) or an operator (a symbol key) is given. */
function bindOperand(key: string | symbol, value: unknown, bound: BoundValues): unknown {
  const op = typeof key === 'symbol' ? key : undefined;
  if (value === null || value === undefined || (op && SYNTAX.has(op))) return value;
  if (value instanceof Utils.SequelizeMethod) return bindExpression(value, op ?? Op.eq, bound);
  // Under a column, an object holds its operators; under an operator, it is the value (JSON containment).
  if (isPlainObject(value)) return op ? value : mapEntries(value, (k, v) => bindOperand(k, v, bound));
  if (Array.isArray(value)) {
    if (op && LISTS.has(op)) return value.map((v) => bound.param(v, op));
    // A whole array compared with an array column (`@>`, `&&`, `=`) is one parameter. Given straight to a
    // column, an array means IN for a scalar column and equality for an array one: left as it is.
    return op && value.every(isScalar) ? bound.param(value, op) : value;
  }
  if (!isScalar(value)) return value;
  // Sequelize writes a literal given straight to a column as the whole condition, so it gets its operator.
  return op ? bound.param(value, op) : { [Op.eq]: bound.param(value) };
}

/**
 * `Sequelize.where`, `fn` and `cast` hold values too, compared by `op` (a function's arguments by the
 * comparison the function is part of); literals and columns are SQL already.
 */
function bindExpression(node: Utils.SequelizeMethod, op: symbol, bound: BoundValues): unknown {
  if (node instanceof Utils.Where) {
    // Sequelize replaces the comparator's symbol by its SQL the first time it writes the condition.
    const comparator = node.comparator as string | symbol;
    const compared =
      typeof comparator === 'symbol' ? comparator : /^IS( NOT)?$/i.test(comparator) ? Op.is : Op.eq;
    const { logic } = node;
    return withProps(node, {
      attribute: bindExpression(node.attribute as Utils.SequelizeMethod, compared, bound),
      // Only BETWEEN writes the items of an array operand one by one, as a parameter can be written.
      logic: !Array.isArray(logic) || BETWEEN.has(compared) ? bindOperand(compared, logic, bound) : logic,
    });
  }
  if (node instanceof Utils.Fn) {
    const { args } = node as unknown as { args: unknown[] };
    return withProps(node, { args: args.map((a) => bindOperand(op, a, bound)) });
  }
  if (node instanceof Utils.Cast) return withProps(node, { val: bindOperand(op, node.val, bound) });
  return node;
}

/** A copy of a Sequelize expression object with some of its own properties replaced. */
const withProps = <T extends object>(node: T, props: Record<string, unknown>): T =>
  Object.assign(Object.create(Object.getPrototypeOf(node) as object) as T, node, props);

function mapEntries(
  o: Record<string | symbol, unknown>,
  f: (key: string | symbol, value: unknown) => unknown,
): Record<string | symbol, unknown> {
  const out: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(o)) out[key] = f(key, o[key]);
  return out;
}
