import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ValidationError } from '../../errors';
import { isPlainObject } from '../../crud/filter/values';

export type ImportFormat = 'csv' | 'json';

export interface SourceRecord {
  /** 1-based position in the file (for CSV, counting the header as row 1). */
  row: number;
  values: Record<string, unknown>;
}

/** The format a file is in, from its type or name; CSV and JSON are understood. */
export function formatOf(mime: string | undefined, filename: string | undefined): ImportFormat | undefined {
  const ext = filename?.toLowerCase().split('.').pop();
  if (mime?.includes('json') || ext === 'json') return 'json';
  if (mime?.includes('csv') || ext === 'csv' || (mime === 'text/plain' && ext !== 'json')) return 'csv';
  return undefined;
}

async function* csvRecords(source: Readable): AsyncGenerator<SourceRecord> {
  const parser = source.pipe(
    parse({
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      max_record_size: 1_000_000,
    }),
  );
  let row = 1;
  for await (const record of parser) yield { row: ++row, values: record as Record<string, unknown> };
}

/** JSON imports are an array of objects (or `{ records: [...] }`); they are read whole, within the upload limit. */
async function* jsonRecords(source: Readable): AsyncGenerator<SourceRecord> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk as Buffer);
  let data: unknown;
  try {
    data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ValidationError('The file is not valid JSON', [{ field: 'file', message: 'malformed JSON' }]);
  }
  const list = Array.isArray(data)
    ? data
    : isPlainObject(data) && Array.isArray(data.records)
      ? data.records
      : undefined;
  if (!list)
    throw new ValidationError('A JSON import is an array of records', [
      { field: 'file', message: 'expected an array' },
    ]);
  for (const [i, values] of list.entries()) {
    if (!isPlainObject(values))
      throw new ValidationError(`Item ${i + 1} is not a record`, [{ index: i, message: 'not an object' }]);
    yield { row: i + 1, values };
  }
}

/** The records of an uploaded file, one at a time: a CSV streams, so its size does not matter. */
export function readRecords(source: Readable, format: ImportFormat): AsyncGenerator<SourceRecord> {
  return format === 'csv' ? csvRecords(source) : jsonRecords(source);
}
