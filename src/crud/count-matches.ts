import type { Order, Transaction, WhereOptions } from 'sequelize';
import { selectFixed } from '../db/fixed-statement';
import type { AnyModel } from '../db/models';
import { bindWhere, BoundValues } from './bound-values';
import { selectSql, union } from './select-sql';

export interface Matches {
  n: number;
  /** False when more than `n` rows match: the count stopped there. */
  exact: boolean;
}

/**
 * How many rows match any of `anyOf`, counting no further than `limit` (0: every match). A `COUNT(*)` reads
 * every match, which at a million rows costs far more than the page it goes with; counting the rows of
 * `SELECT id … LIMIT limit + 1` lets PostgreSQL stop as soon as the answer is "more than `limit`". Several
 * alternatives (a sales rep's "assigned to me" and "created by me") are counted as a UNION of one such SELECT
 * each, so each can stop early on its own index: an OR would make PostgreSQL gather every match first. A row
 * matching two alternatives counts once.
 *
 * When one alternative alone has more than `limit` matches, so has the union, and the answer needs neither
 * the other alternatives nor the UNION's hashing of up to `(limit + 1) × alternatives` ids: each alternative
 * is first counted on its own, and the union only when none passed the limit (`unlessOneIsOver`).
 */
export async function countMatches(
  model: AnyModel,
  anyOf: WhereOptions[],
  limit: number,
  transaction?: Transaction,
): Promise<Matches> {
  if (limit === 0 && anyOf.length === 1) {
    return { n: await model.count({ where: anyOf[0], transaction }), exact: true };
  }
  const bound = new BoundValues();
  const ids = anyOf.map((where) =>
    selectSql(model, {
      where: bindWhere(where, bound),
      attributes: [model.primaryKeyAttribute],
      limit: limit ? limit + 1 : undefined,
    }),
  );
  const [row] = await selectFixed<{ n: number }>(
    model.sequelize!,
    limit && ids.length > 1
      ? `SELECT ${unlessOneIsOver(ids, limit)} AS n`
      : `SELECT count(*)::int AS n FROM (${union(ids)}) AS matches`,
    bound.values,
    { transaction, prepare: bound.planFitsAnyValue },
  );
  const n = row?.n ?? 0;
  return limit && n > limit ? { n: limit, exact: false } : { n, exact: true };
}

/**
 * `limit + 1` as soon as one of `branches` (each stopping at `limit + 1` rows) alone has more than `limit`
 * rows, else the count of their union. PostgreSQL runs a CASE's subqueries only when it reaches them, so a
 * branch past the limit spares the branches after it and the union.
 */
function unlessOneIsOver(branches: string[], limit: number): string {
  const alone = branches.map(
    (b) => `WHEN (SELECT count(*) FROM (${b}) AS alone) > ${limit} THEN ${limit + 1}`,
  );
  return `CASE ${alone.join(' ')} ELSE (SELECT count(*)::int FROM (${union(branches)}) AS matches) END`;
}

/**
 * A bounded count made sharper by the page beside it: a page that ends the list tells the exact total, and one
 * deeper than the count reached raises the lower bound.
 */
export function sharpen(counted: Matches, offset: number, rows: number, hasMore: boolean): Matches {
  if (counted.exact) return counted;
  if (rows === 0) return offset === 0 ? { n: 0, exact: true } : counted;
  if (!hasMore) return { n: offset + rows, exact: true };
  return { n: Math.max(counted.n, offset + rows), exact: false };
}

export const NEWEST_FIRST: Order = [
  ['created_at', 'DESC'],
  ['id', 'DESC'],
];

/**
 * One page of a table's rows, in `order`, with its bounded total: the paged lists that
 * are not entity lists (the audit log, held spam), which only grow.
 */
export async function pageWithTotal(
  model: AnyModel,
  q: { where: WhereOptions; order: Order; limit: number; offset: number },
  countLimit: number,
): Promise<{ rows: Record<string, unknown>[]; total: Matches }> {
  const [rows, counted] = await Promise.all([
    model.findAll({ where: q.where, order: q.order, limit: q.limit + 1, offset: q.offset, raw: true }),
    countMatches(model, [q.where], countLimit),
  ]);
  const page = (rows as unknown as Record<string, unknown>[]).slice(0, q.limit);
  return { rows: page, total: sharpen(counted, q.offset, page.length, rows.length > q.limit) };
}
