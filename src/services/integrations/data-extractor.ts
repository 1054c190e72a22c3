import type { Readable } from 'node:stream';
import Joi from 'joi';
import type { Actor } from '../../context';
import { validate } from '../../crud/validation';
import type { DocumentService } from '../documents/document-service';
import { readRecords, type ImportFormat } from '../import/read-records';
import { documentIdOf } from './file-refs';
import { SchemaMismatch, shapeToSchema } from './shape-to-schema';
import { TEXTRACT_MAX_BYTES, type TextractTables } from './textract-tables';
import { xlsxRows } from './xlsx-rows';

type Row = Record<string, unknown>;

export type Extraction =
  { status: 'success'; details: null; output: unknown } | { status: 'error'; details: string; output: null };

const request = Joi.object({
  file_url: Joi.string().max(2000).required(),
  json_schema: Joi.object().unknown(true),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TEXT_FORMATS: Record<string, ImportFormat> = { 'text/csv': 'csv', 'application/json': 'json' };

const failed = (details: string): Extraction => ({ status: 'error', details, output: null });

async function bytesOf(source: Readable, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += (chunk as Buffer).length;
    if (size > max) {
      source.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Base44's ExtractDataFromUploadedFile over files this server stores (never a URL elsewhere), read with the
 * caller's permission to read that document. CSV, JSON and XLSX are parsed here; PDFs go to AWS Textract
 * when it is turned on. What the file holds, or why it could not be read, is in the answer's body.
 */
export class DataExtractor {
  constructor(
    private readonly documents: DocumentService,
    private readonly publicUrl: string,
    private readonly textract: TextractTables | undefined,
  ) {}

  async extract(actor: Actor, input: unknown): Promise<Extraction> {
    const { file_url, json_schema } = validate(request, (input ?? {}) as Row, {
      entityName: 'extraction',
      stripUnknown: true,
    }) as { file_url: string; json_schema?: Row };
    const id = documentIdOf(file_url, this.publicUrl);
    if (!id) {
      return failed(
        'Only files uploaded to this server can be read: pass the file_url from UploadFile or the file_uri from UploadPrivateFile',
      );
    }
    const download = await this.documents.open(actor, id);
    if (download.kind !== 'stream')
      return failed('This document links to a file elsewhere, which is not read');
    let rows: Row[];
    try {
      const read = await this.rows(download.body, download.contentType);
      if (typeof read === 'string') return failed(read);
      rows = read;
    } catch (err) {
      download.body.destroy();
      return failed(`The file could not be read: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      return { status: 'success', details: null, output: shapeToSchema(rows, json_schema) };
    } catch (err) {
      if (err instanceof SchemaMismatch) return failed(err.message);
      throw err;
    }
  }

  /** The file's rows, or why it cannot give any. */
  private async rows(body: Readable, contentType: string): Promise<Row[] | string> {
    const format = TEXT_FORMATS[contentType];
    if (format) {
      const rows: Row[] = [];
      for await (const record of readRecords(body, format)) rows.push(record.values);
      return rows;
    }
    if (contentType === XLSX) return xlsxRows(body);
    if (contentType === 'application/pdf') {
      body.resume();
      if (!this.textract)
        return 'Reading PDFs needs AWS Textract, which is not turned on here (TEXTRACT_ENABLED); upload CSV, JSON or XLSX';
      const bytes = await bytesOf(body, TEXTRACT_MAX_BYTES);
      if (!bytes) return `PDFs larger than ${TEXTRACT_MAX_BYTES / 1024 / 1024} MB cannot be read`;
      return this.textract.rows(bytes);
    }
    body.resume();
    return `Files of type ${contentType} cannot be read: upload CSV, JSON, XLSX or PDF`;
  }
}

/** The request schemas, for the OpenAPI document (src/http/openapi). */
export { request as extractionRequestSchema };
