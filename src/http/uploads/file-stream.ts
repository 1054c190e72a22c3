import type { Request } from 'express';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError, ValidationError } from '../../errors';
import { tooLarge } from '../../services/files/receive';

export interface StreamedFile {
  stream: Readable;
  filename: string;
  mimeType: string;
}

/**
 * Hands the multipart part named `file` to `handle` as a stream, so a large file is processed as it
 * arrives instead of being held in memory or on disk. Other parts are ignored; options belong in the query.
 */
export function withFileStream<T>(
  req: Request,
  maxBytes: number,
  handle: (file: StreamedFile) => Promise<T>,
): Promise<T> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(
      new AppError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the file as multipart/form-data in a field named "file"',
      ),
    );
  }
  return new Promise<T>((resolve, reject) => {
    let handled: Promise<T> | undefined;
    const parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes } });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || handled) {
        stream.resume();
        return;
      }
      stream.once('limit', () => stream.destroy(tooLarge(maxBytes)));
      handled = handle({ stream, filename: info.filename ?? '', mimeType: info.mimeType });
      handled.catch(() => stream.resume());
    });
    parser.on('error', (err) =>
      reject(new AppError(400, 'BAD_REQUEST', `The upload could not be read: ${(err as Error).message}`)),
    );
    parser.on('close', () => {
      if (!handled) reject(new ValidationError('No file received', [{ field: 'file', message: 'required' }]));
      else handled.then(resolve, reject);
    });
    req.pipe(parser);
  });
}
