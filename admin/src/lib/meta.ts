/** The shape of GET /api/v1/meta/entities (see src/services/meta/entity-meta.ts on the server). */
export type FieldKind =
  | 'string'
  | 'text'
  | 'email'
  | 'url'
  | 'phone'
  | 'integer'
  | 'decimal'
  | 'float'
  | 'boolean'
  | 'timestamp'
  | 'enum'
  | 'uuid'
  | 'ref'
  | 'json'
  | 'list'
  | 'relatedType';

export interface FieldMeta {
  name: string;
  kind: FieldKind;
  required: boolean;
  nullable: boolean;
  writable: boolean;
  searchable: boolean;
  sortable: boolean;
  values?: string[];
  ref?: { entity: string; path: string };
  default?: unknown;
  min?: number;
  max?: number;
  length?: number;
  description?: string;
}

export type Reach = 'all' | 'team' | 'own';

export interface EntityMeta {
  name: string;
  path: string;
  description?: string;
  defaultSort: string;
  actions: Partial<Record<'read' | 'create' | 'update' | 'delete', Reach>>;
  fields: FieldMeta[];
  relations: { entity: string; path: string; field: string }[];
}

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
