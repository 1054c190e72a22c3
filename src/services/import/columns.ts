import type { EntityRuntime } from '../../crud/registry';

/** A column name as compared: case, spaces and punctuation do not matter. */
export const normalizeHeader = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s\-./]+/g, '_')
    .replace(/[^a-z0-9_]/g, '');

/** Columns that are the server's to set: read in exports, ignored in imports. */
const SERVER_OWNED = new Set([
  'id',
  'organization_id',
  'created_by',
  'created_at',
  'updated_at',
  'created_date',
  'updated_date',
  'created_by_id',
]);

export interface ColumnMap {
  /** File column → field it fills. */
  fields: Map<string, string>;
  /** File columns that fill nothing (unknown, server-assigned or protected), reported back to the user. */
  ignored: string[];
}

/** Maps a file's column names to the entity's writable fields, ignoring case, spaces and punctuation. */
export function mapColumns(headers: string[], rt: EntityRuntime, unwritable: ReadonlySet<string>): ColumnMap {
  const writable = new Map([...rt.schemas.writable].map((name) => [normalizeHeader(name), name]));
  const fields = new Map<string, string>();
  const ignored: string[] = [];
  for (const header of headers) {
    const key = normalizeHeader(header);
    const field =
      SERVER_OWNED.has(key) || unwritable.has(writable.get(key) ?? '') ? undefined : writable.get(key);
    if (field && ![...fields.values()].includes(field)) fields.set(header, field);
    else ignored.push(header);
  }
  return { fields, ignored };
}

/**
 * A CSV cell is text: an empty cell means "no value", a list field takes comma- or semicolon-separated
 * items, a JSON field takes JSON. Other conversions (numbers, dates, booleans) are validation's job.
 */
export function cellValue(kind: string | undefined, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value === '') return undefined;
  if (kind === 'list') {
    if (value.startsWith('[')) {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        // not JSON: split it as text below
      }
    }
    return value
      .split(/[;,]/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (kind === 'json' && /^[[{]/.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}
