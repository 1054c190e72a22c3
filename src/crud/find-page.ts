import { literal, Op, type Transaction, type WhereOptions } from 'sequelize';
import type { AnyModel } from '../db/models';
import type { Values } from '../schema/entity';
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
 * One page of rows matching any of several alternatives, in order. With one alternative this is `findAll`.
 * With several (a sales rep reads leads assigned to them OR created by them), an OR would leave PostgreSQL no
 * index that returns the page in order: it gathers every match (a bitmap) and sorts them, or scans the whole
 * organization in order and drops other people's rows. Instead each alternative reads its first
 * `offset + limit` rows in order from its own index, the UNION of those keys (a row matching two
 * alternatives once) gives the page's ids, and the rows are read by id.
 */
export async function findPage(model: AnyModel, q: PageQuery): Promise<Values[]> {
  const order = orderBy(q.sort);
  const { transaction } = q;
  if (q.anyOf.length === 1) {
    const rows = await model.findAll({
      where: q.anyOf[0],
      attributes: q.attributes,
      order,
      limit: q.limit,
      offset: q.offset,
      raw: true,
      transaction,
    });
    return rows as unknown as Values[];
  }
  const offset = q.offset ?? 0;
  if (![q.limit, offset].every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new Error(`findPage: limit and offset must be whole numbers (${q.limit}, ${offset})`);
  }
  const quote = (name: string) => model.sequelize!.getQueryInterface().quoteIdentifier(name);
  const keys = q.sort.map((k) => k.field);
  const candidates = q.anyOf.map((where) =>
    selectSql(model, { where, attributes: keys, order, limit: offset + q.limit }),
  );
  const pk = model.primaryKeyAttribute;
  const pageIds =
    `SELECT ${quote(pk)} FROM (${union(candidates)}) AS candidates` +
    ` ORDER BY ${q.sort.map((k) => `${quote(k.field)} ${k.desc ? 'DESC' : 'ASC'}`).join(', ')}` +
    ` LIMIT ${q.limit} OFFSET ${offset}`;
  const rows = await model.findAll({
    where: { [pk]: { [Op.in]: literal(`(${pageIds})`) } },
    attributes: q.attributes,
    order,
    raw: true,
    transaction,
  });
  return rows as unknown as Values[];
}
