import type { NextFunction, Request, Response } from 'express';
import { fromDatabaseError } from '../db/errors';
import { AppError, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { loggedPath } from './request-context';

/** Body-parser and multer failures carry a status and a type; translate the ones a client causes. */
function fromFrameworkError(err: unknown): AppError | undefined {
  const e = err as { status?: number; type?: string; code?: string; message?: string };
  if (e.type === 'entity.parse.failed')
    return new AppError(400, 'MALFORMED_JSON', 'The body is not valid JSON');
  if (e.type === 'entity.too.large')
    return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The body is larger than this API accepts');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as UTF-8 JSON');
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.message) {
    return new AppError(e.status, 'BAD_REQUEST', e.message);
  }
  return undefined;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; request_id?: string };
}

/** Maps any thrown error to the status and body a client should see; 5xx bodies stay generic. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return (
    fromFrameworkError(err) ??
    fromDatabaseError(err) ??
    new AppError(
      500,
      'INTERNAL_ERROR',
      'Something went wrong on our side; the request id identifies it in the logs',
    )
  );
}

/** How an API surface shows an error: its status (surfaces may map some) and its body. */
export type ErrorShape = (e: AppError, req: Request) => { status: number; body: unknown };

export function errorHandler(logger: Logger, shape: ErrorShape = envelopeShape) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const e = toAppError(err);
    if (e.status >= 500) {
      const where = { requestId: req.requestId, method: req.method, path: loggedPath(req) };
      // An AppError is an expected condition (a provider down); anything else is a bug and needs its stack.
      if (err instanceof AppError) logger.warn(`${e.code}: ${e.message}`, where);
      else logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err), where);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(e.headers ?? {})) res.setHeader(name, value);
    const { status, body } = shape(e, req);
    res.status(status).json(body);
  };
}

const envelopeShape: ErrorShape = (e, req) => ({ status: e.status, body: envelope(e, req) });

export function envelope(e: AppError, req: Request): ErrorBody {
  return {
    error: {
      code: e.code,
      message: e.message,
      ...(e.details?.length ? { details: e.details } : {}),
      ...(e.status >= 500 ? { request_id: req.requestId } : {}),
    },
  };
}

export function routeNotFound(req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError(`No route for ${req.method} ${req.path}`));
}
