import { Utils, type literal, type Order, type WhereOptions } from 'sequelize';
import type { AnyModel } from '../db/models';
import { queryShape } from './query-shape';

/** The part of Sequelize's query generator used here: the SELECT that `findAll` would run. */
interface SelectGenerator {
  selectQuery(table: unknown, options: object, model: AnyModel): string;
}

export interface SelectOptions {
  where: WhereOptions;
  attributes: string[];
  order?: Order;
  /** A number, or a bound parameter (`BoundValues.param`). */
  limit?: number | ReturnType<typeof literal>;
  offset?: ReturnType<typeof literal>;
}

/**
 * The SELECT `model.findAll(options)` would run, as SQL text (values inlined and escaped) to nest inside a
 * larger statement: what Sequelize cannot express itself, such as a count that stops early or a UNION.
 */
export function writeSelect(model: AnyModel, options: SelectOptions): string {
  const generator = model.sequelize!.getQueryInterface().queryGenerator as SelectGenerator;
  // Sequelize rewrites the order's items in place (`'DESC'` becomes a literal): it is given copies, so the
  // caller's options keep describing the same shape.
  const { order } = options;
  const copy = {
    ...options,
    order: Array.isArray(order) ? order.map((o) => (Array.isArray(o) ? [...o] : o)) : order,
  };
  return generator
    .selectQuery(model.getTableName(), Utils.mapOptionFieldNames(copy as SelectOptions, model), model)
    .replace(/;\s*$/, '');
}

/**
 * How many texts each model keeps. A list's texts are few when its values are bound (one per query shape);
 * clients choose filters and sorts, so nothing else bounds them.
 */
export const MAX_TEXTS_PER_MODEL = 500;

const texts = new WeakMap<AnyModel, Map<string, string>>();

/**
 * `writeSelect`, remembered per query shape. Sequelize writing a sales rep's list's five SELECTs took ~300 µs
 * of the ~2 ms of CPU the app spent on that list (docs/PERFORMANCE.md), and with the values bound, requests
 * of one shape write the same text.
 */
export function selectSql(model: AnyModel, options: SelectOptions): string {
  const shape = queryShape(options);
  if (shape === undefined) return writeSelect(model, options);
  let known = texts.get(model);
  if (!known) texts.set(model, (known = new Map()));
  let sql = known.get(shape);
  if (sql === undefined) {
    sql = writeSelect(model, options);
    if (known.size >= MAX_TEXTS_PER_MODEL) known.clear();
    known.set(shape, sql);
  }
  return sql;
}

/** `(a) UNION (b)`: the rows of every branch, each once. */
export const union = (branches: string[]): string => branches.map((b) => `(${b})`).join(' UNION ');
