/**
 * CSV that is safe to open in a spreadsheet. A text cell starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return would be read as a formula by Excel, LibreOffice or Sheets (CSV injection: a lead named
 * `=HYPERLINK(...)` runs when a colleague opens the export), so such cells get a leading apostrophe, which
 * spreadsheets show as text. Numbers and booleans are written as they are: a negative amount stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One value as a CSV cell: neutralised when it is text that could start a formula, quoted when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (RFC 4180: CRLF-terminated). */
export const csvLine = (values: readonly unknown[]): string => `${values.map(csvCell).join(',')}\r\n`;
