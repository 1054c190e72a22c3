// The shape of GET /api/v1/meta/entities, as the server declares it. Type-only: erased from the bundle.
import type { EntityMeta } from '../../../src/services/meta/entity-meta';

export type { FieldKind } from '../../../src/schema/fields';
export type { EntityMeta, FieldMeta } from '../../../src/services/meta/entity-meta';

/** `last_name` → `Last name`; `LinkAnalytics` → `Link analytics`. */
export function labelOf(name: string): string {
  const words = name
    .replace(/_id$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The plural label of an entity from its path: `link-analytics` → `Link analytics`. */
export const pluralLabel = (meta: EntityMeta) => labelOf(meta.path.replace(/-/g, '_'));

const TITLE_FIELDS = ['name', 'title', 'subject', 'email', 'invoice_number', 'order_number'];

/** A short human label for a record: its name, or first and last name, or a title-like field, or its id. */
export function recordTitle(record: Record<string, unknown>): string {
  const person = [record.first_name, record.last_name].filter((v) => typeof v === 'string' && v).join(' ');
  if (typeof record.name === 'string' && record.name) return record.name;
  if (person) return person;
  for (const f of TITLE_FIELDS) if (typeof record[f] === 'string' && record[f]) return record[f] as string;
  return String(record.id ?? '');
}
