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

const MAX_JSON_RECORD = 1_000_000;
const notJson = () =>
  new ValidationError('The file is not valid JSON', [{ field: 'file', message: 'malformed JSON' }]);
const notARecord = (i: number) =>
  new ValidationError(`Item ${i + 1} is not a record`, [{ index: i, message: 'not an object' }]);

/**
 * The objects of a top-level JSON array, parsed one at a time as the bytes arrive, so a large array never
 * sits in memory whole. `head` is the text read so far, which starts with the opening bracket.
 */
async function* jsonArrayItems(chunks: AsyncIterator<string>, head: string): AsyncGenerator<unknown> {
  let text = head;
  let i = text.search(/\S/) + 1; // just past the opening bracket
  let depth = 1;
  let inString = false;
  let escaped = false;
  let start = -1;
  let index = 0;
  for (;;) {
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (depth === 1) {
        if (ch === ']') return;
        if (ch === ',' || /\s/.test(ch)) continue;
        if (ch !== '{') throw notARecord(index);
        start = i;
        depth = 2;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 1) {
          let item: unknown;
          try {
            item = JSON.parse(text.slice(start, i + 1));
          } catch {
            throw notJson();
          }
          index++;
          yield item;
          start = -1;
        }
      }
    }
    // Keep only the unfinished item (if any) before reading on.
    text = start >= 0 ? text.slice(start) : '';
    i = text.length;
    start = start >= 0 ? 0 : -1;
    if (text.length > MAX_JSON_RECORD)
      throw new ValidationError(`Item ${index + 1} is larger than ${MAX_JSON_RECORD} characters`);
    const next = await chunks.next();
    if (next.done) throw notJson();
    text += next.value;
  }
}

/**
 * JSON imports are an array of objects, streamed item by item, or `{ records: [...] }`, read whole within
 * the upload limit.
 */
async function* jsonRecords(source: Readable): AsyncGenerator<SourceRecord> {
  source.setEncoding('utf8');
  const chunks = (source as AsyncIterable<string>)[Symbol.asyncIterator]();
  let head = '';
  while (!/\S/.test(head)) {
    const next = await chunks.next();
    if (next.done) throw notJson();
    head += (next.value as string).replace(/^\uFEFF/, '');
  }
  if (head.trimStart().startsWith('[')) {
    let row = 0;
    for await (const values of jsonArrayItems(chunks, head)) {
      if (!isPlainObject(values)) throw notARecord(row);
      yield { row: ++row, values };
    }
    return;
  }
  let whole = head;
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) whole += next.value as string;
  let data: unknown;
  try {
    data = JSON.parse(whole);
  } catch {
    throw notJson();
  }
  const list = isPlainObject(data) && Array.isArray(data.records) ? data.records : undefined;
  if (!list)
    throw new ValidationError('A JSON import is an array of records', [
      { field: 'file', message: 'expected an array' },
    ]);
  for (const [i, values] of list.entries()) {
    if (!isPlainObject(values)) throw notARecord(i);
    yield { row: i + 1, values };
  }
}

/** The records of an uploaded file, one at a time: a CSV streams, so its size does not matter. */
export function readRecords(source: Readable, format: ImportFormat): AsyncGenerator<SourceRecord> {
  return format === 'csv' ? csvRecords(source) : jsonRecords(source);
}
