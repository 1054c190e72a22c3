import crypto from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { AppError } from '../../errors';
import type { Storage } from '../storage/storage';
import { SNIFF_BYTES, sniffType } from './sniff';

export interface ReceivedFile {
  key: string;
  mime: string;
  size: number;
  sha256: string;
}

export interface ReceiveOptions {
  storage: Storage;
  key: string;
  filename: string;
  allowedTypes: ReadonlySet<string>;
  maxBytes: number;
}

const unsupported = (mime: string) =>
  new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Files of type ${mime} are not accepted`, [
    { field: 'file', message: `the content is ${mime}, which is not on the allowed list` },
  ]);
const readable = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${+(bytes / 1024 / 1024).toFixed(1)} MB`
    : bytes >= 1024
      ? `${+(bytes / 1024).toFixed(1)} KB`
      : `${bytes} bytes`;
export const tooLarge = (maxBytes: number) =>
  new AppError(413, 'PAYLOAD_TOO_LARGE', `The file is larger than the ${readable(maxBytes)} limit`, [
    { field: 'file', message: `at most ${maxBytes} bytes` },
  ]);

/**
 * Streams an upload into storage: its type is sniffed from the first bytes and checked against the allow
 * list before anything is stored, its size is counted against the limit, and its SHA-256 computed on the
 * way. Whatever fails, no partial object is left behind.
 */
export async function receive(stream: Readable, o: ReceiveOptions): Promise<ReceivedFile> {
  let limited = false;
  stream.once('limit', () => (limited = true));
  const iterator = stream[Symbol.asyncIterator]();
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    headChunks.push(next.value as Buffer);
    headLength += (next.value as Buffer).length;
  }
  const head = Buffer.concat(headChunks);
  const mime = sniffType(head, o.filename);
  if (!o.allowedTypes.has(mime)) {
    stream.resume();
    throw unsupported(mime);
  }

  const hash = crypto.createHash('sha256');
  let size = 0;
  async function* chunks() {
    yield head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield next.value as Buffer;
  }
  const body = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      size += chunk.length;
      if (size > o.maxBytes) return callback(tooLarge(o.maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      callback(limited ? tooLarge(o.maxBytes) : null);
    },
  });
  // A driver may start reading only after an async step (creating a directory); an error raised before
  // then must not crash the process. The driver still sees it: the stream stays in its errored state.
  body.on('error', () => undefined);
  const source = Readable.from(chunks());
  source.on('error', (err) => body.destroy(err));
  source.pipe(body);

  try {
    await o.storage.put(o.key, body, mime);
  } catch (err) {
    stream.resume();
    await o.storage.delete(o.key).catch(() => undefined);
    throw err;
  }
  if (limited || size > o.maxBytes) {
    await o.storage.delete(o.key).catch(() => undefined);
    throw tooLarge(o.maxBytes);
  }
  return { key: o.key, mime, size, sha256: hash.digest('hex') };
}
