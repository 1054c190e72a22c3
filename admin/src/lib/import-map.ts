// The server's own comparison of column names; columns.ts has no runtime imports, so this bundles alone.
import { normalizeHeader } from '../../../src/services/import/columns';
import type { FieldMeta } from './meta';

export type ImportFormat = 'csv' | 'json';
/** File column → the field it fills, or '' to leave the column out. */
export type ColumnMapping = Record<string, string>;

/** The format of a file from its name or type, as the server decides it; undefined when neither. */
export function formatOf(file: { name: string; type: string }): ImportFormat | undefined {
  const ext = file.name.toLowerCase().split('.').pop();
  if (file.type.includes('json') || ext === 'json') return 'json';
  if (file.type.includes('csv') || ext === 'csv') return 'csv';
  return undefined;
}

/** RFC 4180 CSV into records of cells (quotes, doubled quotes, CRLF or LF); a leading BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const endRow = () => {
    row.push(cell);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    cell = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRow();
    } else cell += ch;
  }
  if (cell !== '' || row.length) endRow();
  return rows;
}

const csvCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const toCsvText = (rows: string[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

export interface Preview {
  format: ImportFormat;
  headers: string[];
  /** The first records, as text cells by header. */
  sample: Record<string, string>[];
  records: number;
}

const cellText = (v: unknown) =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** The columns and first records of a file, read in the browser before anything is sent. */
export function preview(format: ImportFormat, text: string, sampleSize = 5): Preview {
  if (format === 'csv') {
    const [head = [], ...body] = parseCsv(text);
    const headers = head.map((h) => h.trim());
    return {
      format,
      headers,
      sample: body
        .slice(0, sampleSize)
        .map((r) => Object.fromEntries(headers.map((h, i) => [h, (r[i] ?? '').trim()]))),
      records: body.length,
    };
  }
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch {
    throw new Error('The file is not valid JSON');
  }
  if (!Array.isArray(items)) throw new Error('A JSON import is an array of records');
  const objects = items.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object');
  const headers = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return {
    format,
    headers,
    sample: objects
      .slice(0, sampleSize)
      .map((o) => Object.fromEntries(headers.map((h) => [h, cellText(o[h])]))),
    records: items.length,
  };
}

/** The fields a column may fill: writable ones, less the server-assigned. */
export const importableFields = (fields: FieldMeta[]) =>
  fields.filter((f) => f.writable && !['id', 'organization_id', 'created_at', 'updated_at'].includes(f.name));

/** Each column to the field of the same name (as the server compares them), each field filled at most once. */
export function detectMapping(headers: string[], fields: FieldMeta[]): ColumnMapping {
  const byKey = new Map(importableFields(fields).map((f) => [normalizeHeader(f.name), f.name]));
  const used = new Set<string>();
  const mapping: ColumnMapping = {};
  for (const h of headers) {
    const field = byKey.get(normalizeHeader(h));
    mapping[h] = field && !used.has(field) ? field : '';
    if (field) used.add(field);
  }
  return mapping;
}

/** Fields that two columns are mapped to: the server would take only one, so the user must choose. */
export const duplicateTargets = (mapping: ColumnMapping): string[] => {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const f of Object.values(mapping)) if (f) (seen.has(f) ? twice : seen).add(f);
  return [...twice];
};

/**
 * The file as the server should read it: headers (CSV) or keys (JSON) renamed to the chosen fields, and
 * the columns mapped to nothing left out — so the server's own header matching sees exactly the mapping.
 * Record order is kept, so the server's row numbers in its error report match the file the user chose.
 */
export function applyMapping(format: ImportFormat, text: string, mapping: ColumnMapping): string {
  if (format === 'csv') {
    const [head = [], ...body] = parseCsv(text);
    const keep = head.map((h, i) => [i, mapping[h.trim()] ?? ''] as const).filter(([, f]) => f);
    return toCsvText([keep.map(([, f]) => f), ...body.map((r) => keep.map(([i]) => r[i] ?? ''))]);
  }
  const items = JSON.parse(text) as unknown[];
  return JSON.stringify(
    items.map((item) =>
      item && typeof item === 'object' && !Array.isArray(item)
        ? Object.fromEntries(
            Object.entries(item)
              .filter(([k]) => mapping[k])
              .map(([k, v]) => [mapping[k]!, v]),
          )
        : item,
    ),
  );
}
