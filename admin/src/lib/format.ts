import type { FieldMeta } from './meta';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const number = new Intl.NumberFormat();

/** A stored value as text for a table cell or a record page. */
export function display(field: FieldMeta | undefined, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field?.kind === 'timestamp') return dateTime.format(new Date(String(value)));
  if (field?.kind === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return number.format(value);
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  if (field?.kind === 'enum') return String(value).replace(/_/g, ' ');
  return String(value);
}

export const money = (n: number) =>
  new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(Math.round(n));
