import { literal, Op, type Transaction, type WhereOptions } from 'sequelize';
import { selectFixed } from '../db/fixed-statement';
import type { AnyModel } from '../db/models';
import type { Values } from '../schema/entity';
import { bindWhere, BoundValues } from './bound-values';
import { orderBy, type SortKey } from './ordering';
import { selectSql, union } from './select-sql';

export interface PageQuery {
  /** The rows wanted are those matching any of these. */
  anyOf: WhereOptions[];
  attributes: string[];
  /** Ends with the primary key, so the order is total. */
  sort: SortKey[];
  limit: number;
  offset?: number;
  transaction?: Transaction;
}

/**
 * One page of rows matching any of several alternatives, in order. With one alternative this is the SELECT
 * `findAll` would run. With several (a sales rep reads leads assigned to them OR created by them), an OR would
 * leave PostgreSQL no index that returns the page in order: it gathers every match (a bitmap) and sorts them,
 * or scans the whole organization in order and drops other people's rows. Instead each alternative reads its
 * first `offset + limit` rows in order from its own index, the UNION of those keys (a row matching two
 * alternatives once) gives the page's ids, and the rows are read by id.
 *
 * Values are bound, so a query shape is one statement text, which stays prepared when one plan fits any
 * values (./bound-values.ts). The page size stays in the text: a plan made for an unknown LIMIT assumes a
 * tenth of the matches are wanted.
 */
export async function findPage(model: AnyModel, q: PageQuery): Promise<Values[]> {
  if (!Number.isSafeInteger(q.limit) || q.limit < 0) {
    throw new Error(`findPage: the limit must be a whole number (${q.limit})`);
  }
  const order = orderBy(q.sort);
  const bound = new BoundValues();
  const offset = q.offset ? bound.param(q.offset) : undefined;
  let sql: string;
  if (q.anyOf.length === 1) {
    sql = selectSql(model, {
      where: bindWhere(q.anyOf[0]!, bound),
      attributes: q.attributes,
      order,
      limit: q.limit,
      offset,
    });
  } else {
    const quote = (name: string) => model.sequelize!.getQueryInterface().quoteIdentifier(name);
    const keys = q.sort.map((k) => k.field);
    const depth = q.offset ? bound.param(q.offset + q.limit) : q.limit;
    const candidates = q.anyOf.map((where) =>
      selectSql(model, { where: bindWhere(where, bound), attributes: keys, order, limit: depth }),
    );
    const pk = model.primaryKeyAttribute;
    const pageIds =
      `SELECT ${quote(pk)} FROM (${union(candidates)}) AS candidates` +
      ` ORDER BY ${q.sort.map((k) => `${quote(k.field)} ${k.desc ? 'DESC' : 'ASC'}`).join(', ')}` +
      ` LIMIT ${q.limit}${offset ? ` OFFSET ${offset.val as string}` : ''}`;
    sql = selectSql(model, {
      where: { [pk]: { [Op.in]: literal(`(${pageIds})`) } },
      attributes: q.attributes,
      order,
    });
  }
  return selectFixed<Values>(model.sequelize!, sql, bound.values, {
    transaction: q.transaction,
    // A plan made for an unknown OFFSET assumes a tenth of the matches are skipped.
    prepare: bound.planFitsAnyValue && !q.offset,
  });
}
