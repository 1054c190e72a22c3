import { Readable } from 'node:stream';
import type { Actor } from '../../context';
import type { CrudService, ListResult } from '../../crud/crud-service';
import type { CrudServices } from '../../crud/services';
import type { EntityRuntime } from '../../crud/registry';
import { csvLine } from './spreadsheet-safe-csv';

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportQuery {
  filter?: unknown;
  search?: string;
  sort?: string;
  fields?: string[];
}

/** A file ready to stream: its type and name, and a body that reads the records batch by batch. */
export interface ExportFile {
  contentType: string;
  filename: string;
  body: Readable;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const today = () => new Date().toISOString().slice(0, 10);
export const fileName = (base: string, format: ExportFormat) => `${base}-${today()}.${format}`;

/**
 * A stream of encoded chunks that reads the next batch only once the previous chunk was taken: object
 * streams buffer 16 chunks by default, which would be 16 batches held for a slow client.
 */
export const chunkStream = (chunks: AsyncIterable<string>): Readable =>
  Readable.from(chunks, { objectMode: true, highWaterMark: 1 });

const BOM = '\uFEFF';

/** Rows as CSV (a byte order mark and a header, then one line each) or as one JSON array, written as the rows arrive. */
export async function* encodeRows(
  columns: readonly string[],
  batches: AsyncIterable<Record<string, unknown>[]>,
  format: ExportFormat,
): AsyncGenerator<string> {
  if (format === 'csv') {
    // The byte order mark is how Excel knows the file is UTF-8: without it, a double-clicked export shows
    // every accented name garbled. Our importer, and csv-parse with `bom`, skip it.
    yield `${BOM}${csvLine(columns)}`;
    for await (const rows of batches) yield rows.map((r) => csvLine(columns.map((c) => r[c]))).join('');
    return;
  }
  let first = true;
  yield '[';
  for await (const rows of batches) {
    if (!rows.length) continue;
    const picked = rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c) => [c, r[c]]))));
    yield `${first ? '\n' : ',\n'}${picked.join(',\n')}`;
    first = false;
  }
  yield first ? ']' : '\n]\n';
}

/**
 * Every record of an entity that the caller may read and that matches the query, as a CSV or JSON download.
 * Records are read in keyset-paged batches through the CrudService (so the role's scope, the organization and
 * the field allow-list apply as on a listing) and written as they come: memory holds one batch, never the
 * whole set. The first batch is read before the download starts, so a bad query is still a JSON error.
 */
export class RecordExport {
  constructor(
    private readonly crud: CrudServices,
    private readonly batchSize = 1000,
  ) {}

  async open(
    actor: Actor,
    rt: EntityRuntime,
    q: ExportQuery,
    format: ExportFormat,
    name = rt.decl.path,
  ): Promise<ExportFile> {
    const service = this.crud.for(actor, rt);
    const columns = q.fields?.length ? q.fields : rt.visible.filter((name) => service.fieldOf(name));
    const first = await this.page(service, q, '');
    const batches = this.batches(service, q, first);
    return {
      contentType: CONTENT_TYPES[format],
      filename: fileName(name, format),
      body: chunkStream(encodeRows(columns, batches, format)),
    };
  }

  private page(service: CrudService, q: ExportQuery, cursor: string): Promise<ListResult> {
    return service.list({ ...q, cursor, limit: this.batchSize, total: undefined });
  }

  private async *batches(
    service: CrudService,
    q: ExportQuery,
    first: ListResult,
  ): AsyncGenerator<Record<string, unknown>[]> {
    let page = first;
    yield page.rows;
    while (page.nextCursor) {
      page = await this.page(service, q, page.nextCursor);
      yield page.rows;
    }
  }
}
