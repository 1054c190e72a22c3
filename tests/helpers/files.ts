import crypto from 'node:crypto';
import type { Test } from 'supertest';
import { parse } from 'csv-parse/sync';

/** A 1×1 transparent PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
export const HTML = Buffer.from(
  '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
);
export const CSV = Buffer.from('name,email\nAda,ada@example.com\n');

export const sha256 = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

/** A supertest parser that keeps a response body as raw bytes. */
export const binary = ((res: NodeJS.ReadableStream, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}) as unknown as Parameters<Test['parse']>[0];

/** A supertest parser that keeps a response body as UTF-8 text, whatever its content type (CSV, JSON...). */
export const utf8Text = ((
  res: NodeJS.ReadableStream,
  callback: (err: Error | null, body: string) => void,
) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => callback(null, body));
}) as unknown as Parameters<Test['parse']>[0];

/** The rows of a CSV whose first line names the columns, after the byte order mark exports begin with. */
export const csvRows = (csv: string) => parse(csv, { columns: true, bom: true }) as Record<string, string>[];
