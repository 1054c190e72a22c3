import type { Transaction } from 'sequelize';
import { selectFixed } from '../db/fixed-statement';
import type { AnyModel } from '../db/models';

type Row = Record<string, unknown>;

export interface ByIdQuery {
  id: string;
  organizationId: string;
  /** The role's row scope: a row is in reach when one of these owner fields names one of these people. */
  owners?: { fields: readonly string[]; people: readonly string[] };
  columns: readonly string[];
  /** Read inside a caller's transaction, locking the row until it ends. */
  transaction?: Transaction;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * One row by id within the organization and the role's owner scope — the query behind every GET by id —
 * written directly as a statement with bind parameters instead of being built by Sequelize per request, and
 * kept prepared (one plan fits any id).
 * Reads the row as a raw `findOne` would.
 */
export async function findById(model: AnyModel, q: ByIdQuery): Promise<Row | undefined> {
  const attributes = model.getAttributes();
  const column = (name: string): string => quote(attributes[name]?.field ?? name);
  const select = q.columns.map((name) => {
    const field = attributes[name]?.field ?? name;
    return field === name ? quote(name) : `${quote(field)} AS ${quote(name)}`;
  });
  const bind: unknown[] = [q.organizationId, q.id];
  let scope = '';
  if (q.owners) {
    bind.push(q.owners.people);
    const reach = q.owners.fields.map((f) => `${column(f)} = ANY($3::uuid[])`);
    scope = ` AND (${reach.length ? reach.join(' OR ') : 'false'})`;
  }
  const sql =
    `SELECT ${select.join(', ')} FROM ${quote(model.getTableName() as string)}` +
    ` WHERE ${column('organization_id')} = $1 AND ${column('id')} = $2${scope} LIMIT 1` +
    (q.transaction ? ' FOR UPDATE' : '');
  const [row] = await selectFixed<Row>(model.sequelize!, sql, bind, {
    transaction: q.transaction,
    prepare: true,
  });
  return row;
}
