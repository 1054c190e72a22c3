import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '../context';
import { UnauthorizedError } from '../errors';
import type { Logger } from '../logger';

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    actor?: Actor;
  }
}

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Tags every request with an id (a trusted-looking incoming one is kept) and echoes it back. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.get('x-request-id');
  req.requestId = incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
  res.setHeader('X-Request-Id', req.requestId);
  next();
}

/** One log line per request: id, method, path (never the query string, which may carry tokens), status, time. */
export function requestLogger(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'warn' : 'info';
      logger.log(
        level,
        `${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${ms.toFixed(1)}ms`,
        {
          requestId: req.requestId,
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          durationMs: Math.round(ms * 10) / 10,
          ...(req.actor ? { userId: req.actor.userId } : {}),
        },
      );
    });
    next();
  };
}

export function actorOf(req: Request): Actor {
  if (!req.actor) throw new UnauthorizedError();
  return req.actor;
}
