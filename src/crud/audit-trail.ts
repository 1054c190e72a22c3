import type { Transaction } from 'sequelize';
import type { Actor } from '../context';
import type { AnyModel } from '../db/models';
import type { Declaration, Values } from '../schema/entity';
import { insertRows } from './insert-rows';

export type AuditAction = 'create' | 'update' | 'delete';
export type Changes = Record<string, { from: unknown; to: unknown }>;

const NOT_CHANGES = new Set(['id', 'organization_id', 'created_at', 'updated_at']);
export const MASK = '[hidden]';

/** A value as the API shows it: a Date as ISO text, NUMERIC (read by node-postgres as text) as a number. */
function plain(kind: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  return kind === 'decimal' || kind === 'float' ? Number(v) : v;
}

/** Field by field, what a write changed; hidden fields show only that they changed. */
export function changesOf(decl: Declaration, before: Values | undefined, after: Values | undefined): Changes {
  const changes: Changes = {};
  for (const [name, field] of Object.entries(decl.fields)) {
    if (NOT_CHANGES.has(name)) continue;
    const from = plain(field.spec.kind, before?.[name]);
    const to = plain(field.spec.kind, after?.[name]);
    // Identical scalars (most often both null) need no JSON comparison; a bulk create compares thousands.
    if (from === to || JSON.stringify(from) === JSON.stringify(to)) continue;
    changes[name] = field.spec.hidden
      ? { from: from === null ? null : MASK, to: to === null ? null : MASK }
      : { from, to };
  }
  return changes;
}

/** Writes audit entries inside the transaction of the change they describe. */
export class AuditTrail {
  constructor(private readonly entries: AnyModel) {}

  async record(
    t: Transaction,
    decl: Declaration,
    actor: Actor,
    action: AuditAction,
    rows: { before?: Values; after?: Values }[],
  ): Promise<void> {
    const entries = rows
      .map(({ before, after }) => ({
        organization_id: actor.organizationId,
        entity: decl.name,
        record_id: (after ?? before)!.id,
        action,
        actor_id: actor.userId,
        actor_email: actor.email,
        api_key_id: actor.apiKey?.id ?? null,
        changes: changesOf(decl, before, after),
      }))
      // An update that changed nothing leaves no trace.
      .filter((e) => action !== 'update' || Object.keys(e.changes).length > 0);
    await insertRows(this.entries, entries, t);
  }
}
