import type { Field } from '../schema/fields';

/**
 * A stored row as the API shows it: only the given fields, numbers as JSON numbers (node-postgres reads
 * NUMERIC as text), timestamps as ISO 8601 in UTC, absent values as null.
 */
export function serialize(
  row: Record<string, unknown>,
  fields: readonly string[],
  fieldOf: (name: string) => Field | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of fields) {
    const value = row[name];
    const kind = fieldOf(name)?.spec.kind;
    if (value === undefined || value === null) out[name] = null;
    else if (kind === 'decimal' || kind === 'float') out[name] = Number(value);
    else if (value instanceof Date) out[name] = value.toISOString();
    else out[name] = value;
  }
  return out;
}
