import { Utils, type literal, type Order, type WhereOptions } from 'sequelize';
import type { AnyModel } from '../db/models';

/** The part of Sequelize's query generator used here: the SELECT that `findAll` would run. */
interface SelectGenerator {
  selectQuery(table: unknown, options: object, model: AnyModel): string;
}

/**
 * The SELECT `model.findAll(options)` would run, as SQL text (values inlined and escaped) to nest inside a
 * larger statement: what Sequelize cannot express itself, such as a count that stops early or a UNION.
 */
export function selectSql(
  model: AnyModel,
  options: {
    where: WhereOptions;
    attributes: string[];
    order?: Order;
    /** A number, or a bound parameter (`BoundValues.param`). */
    limit?: number | ReturnType<typeof literal>;
    offset?: ReturnType<typeof literal>;
  },
): string {
  const generator = model.sequelize!.getQueryInterface().queryGenerator as SelectGenerator;
  return generator
    .selectQuery(model.getTableName(), Utils.mapOptionFieldNames({ ...options }, model), model)
    .replace(/;\s*$/, '');
}

/** `(a) UNION (b)`: the rows of every branch, each once. */
export const union = (branches: string[]): string => branches.map((b) => `(${b})`).join(' UNION ');
