import { labelOf, type FieldMeta } from './meta';

/** A cell as RFC 4180 wants it; text with a leading = + - @ is defused so spreadsheets do not run it as a formula. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Records as CSV with a header row of field labels, in the order of `fields`. */
export function toCsv(fields: FieldMeta[], rows: Record<string, unknown>[]): string {
  const lines = [fields.map((f) => cell(labelOf(f.name))).join(',')];
  for (const row of rows) lines.push(fields.map((f) => cell(row[f.name])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
