import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '../context';
import { UnauthorizedError } from '../errors';
import type { Logger } from '../logger';

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    actor?: Actor;
    /** The path as logged, when the real one carries a secret. */
    logPath?: string;
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

/** The request's path for logs: never the query string, and a route's pattern when the path holds a secret. */
export const loggedPath = (req: Request): string => req.logPath ?? req.originalUrl.split('?')[0]!;

/** For routes with a secret in the path (`/reset-password/:token`): logs show the route's pattern instead. */
export function secretInPath(req: Request, _res: Response, next: NextFunction): void {
  req.logPath = `${req.baseUrl}${(req.route as { path: string }).path}`;
  next();
}

/** One log line per request: id, method, path (see loggedPath), status, time. */
export function requestLogger(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'warn' : 'info';
      // winston formats a line before its transports drop it: at LOG_LEVEL=warn, skip the work altogether.
      if (!logger.isLevelEnabled(level)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.log(level, `${req.method} ${loggedPath(req)} ${res.statusCode} ${ms.toFixed(1)}ms`, {
        requestId: req.requestId,
        method: req.method,
        path: loggedPath(req),
        status: res.statusCode,
        durationMs: Math.round(ms * 10) / 10,
        ...(req.actor ? { userId: req.actor.userId } : {}),
      });
    });
    next();
  };
}

export function actorOf(req: Request): Actor {
  if (!req.actor) throw new UnauthorizedError();
  return req.actor;
}
