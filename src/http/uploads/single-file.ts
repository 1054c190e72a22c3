import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { AppError } from '../../errors';
import { receive, tooLarge, type ReceivedFile } from '../../services/files/receive';
import { displayName } from '../../services/files/display-name';
import type { Storage } from '../../services/storage/storage';

export interface UploadLimits {
  maxBytes: number;
  allowedTypes: ReadonlySet<string>;
}

export type UploadedFile = ReceivedFile & { originalName: string };

declare module 'express-serve-static-core' {
  interface Request {
    upload?: UploadedFile;
  }
}

/** A multer storage engine that streams the part straight into storage through `receive`. */
class StreamingEngine implements multer.StorageEngine {
  constructor(
    private readonly storage: Storage,
    private readonly limits: UploadLimits,
    private readonly keyFor: (req: Request) => string,
  ) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    cb: (error?: unknown, info?: Partial<Express.Multer.File>) => void,
  ): void {
    const originalName = displayName(file.originalname);
    receive(file.stream, {
      storage: this.storage,
      key: this.keyFor(req),
      filename: originalName,
      ...this.limits,
    }).then(
      (received) => cb(null, { ...received, originalName } as unknown as Partial<Express.Multer.File>),
      cb,
    );
  }

  _removeFile(
    _req: Request,
    file: Express.Multer.File & { key?: string },
    cb: (error: Error | null) => void,
  ): void {
    if (!file.key) return cb(null);
    this.storage.delete(file.key).then(() => cb(null), cb);
  }
}

function multerError(err: unknown, limits: UploadLimits): unknown {
  if (!(err instanceof multer.MulterError)) return err;
  if (err.code === 'LIMIT_FILE_SIZE') return tooLarge(limits.maxBytes);
  return new AppError(400, 'VALIDATION_FAILED', 'Send one file, in a multipart field named "file"', [
    { field: err.field ?? 'file', message: err.message },
  ]);
}

/**
 * Accepts one multipart file in the field `file` (plus text fields) and stores it; the route finds it in
 * `req.upload` and the other fields in `req.body`.
 */
export function singleFile(storage: Storage, limits: UploadLimits, keyFor: (req: Request) => string) {
  const parse = multer({
    storage: new StreamingEngine(storage, limits, keyFor),
    limits: { fileSize: limits.maxBytes, files: 1, fields: 30, fieldSize: 64 * 1024, parts: 40 },
  }).single('file');
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.is('multipart/form-data')) {
      next(
        new AppError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'Send the file as multipart/form-data in a field named "file"',
        ),
      );
      return;
    }
    parse(req, res, (err: unknown) => {
      if (err) return next(multerError(err, limits));
      const file = req.file as unknown as UploadedFile | undefined;
      if (!file) {
        return next(
          new AppError(400, 'VALIDATION_FAILED', 'No file received', [
            { field: 'file', message: 'required' },
          ]),
        );
      }
      req.upload = {
        key: file.key,
        mime: file.mime,
        size: file.size,
        sha256: file.sha256,
        originalName: file.originalName,
      };
      next();
    });
  };
}
