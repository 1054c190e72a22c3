import { Op } from 'sequelize';
import type { AnyModel } from '../../db/models';
import { isPlainObject } from '../../crud/filter/values';

type Values = Record<string, unknown>;

/** Base44's built-in record fields and the columns they are. */
const BUILT_IN: Record<string, string> = {
  created_date: 'created_at',
  updated_date: 'updated_at',
  created_by_id: 'created_by',
};
const NOWHERE = '00000000-0000-0000-0000-000000000000';

/** A Base44 field name → ours (`created_date` → `created_at`). */
export const toColumn = (name: string): string => BUILT_IN[name] ?? name;

/** `-created_date,name` → `-created_at,name`. */
export const toSort = (sort: string | undefined): string | undefined =>
  sort
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.replace(/^([-+]?)(.+)$/, (_, sign: string, name: string) => sign + toColumn(name)))
    .join(',');

/**
 * Translates between Base44's record shape and ours: `created_date`/`updated_date` are our timestamps,
 * `created_by_id` our `created_by`, and Base44's `created_by` is the creator's email.
 */
export class Base44Records {
  constructor(private readonly users: AnyModel) {}

  private async emailsOf(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = (await this.users.findAll({
      where: { id: { [Op.in]: ids } },
      attributes: ['id', 'email'],
      raw: true,
    })) as unknown as {
      id: string;
      email: string;
    }[];
    return new Map(rows.map((r) => [r.id, r.email]));
  }

  /** Our records → Base44's, with one look-up for all creators' emails. */
  async present(rows: Values[]): Promise<Values[]> {
    const emails = await this.emailsOf([
      ...new Set(rows.map((r) => r.created_by).filter((v): v is string => typeof v === 'string')),
    ]);
    return rows.map(({ created_at, updated_at, created_by, organization_id: _org, ...rest }) => ({
      ...rest,
      ...(created_at !== undefined ? { created_date: created_at } : {}),
      ...(updated_at !== undefined ? { updated_date: updated_at } : {}),
      ...(created_by !== undefined
        ? {
            created_by: typeof created_by === 'string' ? (emails.get(created_by) ?? null) : null,
            created_by_id: created_by,
          }
        : {}),
    }));
  }

  async presentOne(row: Values): Promise<Values> {
    return (await this.present([row]))[0]!;
  }

  /**
   * A Base44 query (`q`) in our field names. `created_by` there holds emails, so its values become the
   * users' ids (an email nobody has matches nothing).
   */
  async filter(query: unknown): Promise<unknown> {
    const emails = new Set<string>();
    collectCreatorEmails(query, emails);
    const ids = new Map<string, string>();
    if (emails.size) {
      const rows = (await this.users.findAll({
        where: { email: { [Op.in]: [...emails].map((e) => e.toLowerCase()) } },
        attributes: ['id', 'email'],
        raw: true,
      })) as unknown as {
        id: string;
        email: string;
      }[];
      for (const r of rows) ids.set(r.email, r.id);
    }
    return rename(query, (email) => ids.get(email.toLowerCase()) ?? NOWHERE);
  }
}

function collectCreatorEmails(node: unknown, into: Set<string>, underCreator = false): void {
  if (Array.isArray(node)) for (const x of node) collectCreatorEmails(x, into, underCreator);
  else if (isPlainObject(node))
    for (const [k, v] of Object.entries(node))
      collectCreatorEmails(v, into, underCreator || k === 'created_by');
  else if (underCreator && typeof node === 'string') into.add(node);
}

function rename(node: unknown, creatorId: (email: string) => string, underCreator = false): unknown {
  if (Array.isArray(node)) return node.map((x) => rename(x, creatorId, underCreator));
  if (isPlainObject(node)) {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        k.startsWith('$') ? k : toColumn(k),
        rename(v, creatorId, underCreator || k === 'created_by'),
      ]),
    );
  }
  return underCreator && typeof node === 'string' ? creatorId(node) : node;
}
