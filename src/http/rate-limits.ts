import crypto from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Config } from '../config';
import { RateLimitedError, UnauthorizedError } from '../errors';
import { FailoverStore } from './failover-store';
import type { Logger } from '../logger';

/**
 * Makes the store of one limiter (express-rate-limit refuses to share a store between limiters). In memory,
 * counts are per instance; a shared store (Redis) makes them hold across instances.
 */
export type StoreFactory = (name: string) => Store;

export const memoryStores: StoreFactory = () => new MemoryStore();

/**
 * Counts shared by every instance using the same Redis and prefix; while Redis cannot be reached, each
 * instance counts on its own (see FailoverStore).
 */
export const redisStores =
  (client: Redis, prefix: string, logger: Logger): StoreFactory =>
  (name) =>
    new FailoverStore(
      new RedisStore({
        prefix: `${prefix}:${name}:`,
        sendCommand: (command: string, ...args: string[]) =>
          client.call(command, ...args) as Promise<RedisReply>,
      }),
      () => client.status === 'ready',
      (problem) =>
        problem === undefined
          ? logger.info(`Rate limit "${name}" counts in Redis again`)
          : logger.warn(
              `Rate limit "${name}" counts in this instance only until Redis is back: ${
                problem instanceof Error ? problem.message : String(problem)
              }`,
            ),
    );

export interface RateLimits {
  /** By client IP, for requests without valid credentials: public routes, and unmatched paths. */
  anonymous: RequestHandler;
  /** Placed right after authentication: a request whose credentials were refused counts by client IP. */
  refused: ErrorRequestHandler;
  /** Placed after authentication: per user, or per API key (with the key's own limit when it has one). */
  identified: RequestHandler;
  /**
   * The strict limit of one route where credentials can be guessed or mail sent: per client IP, and per
   * account (the signed-in user, else the email in the body). `failuresOnly` counts only refused attempts:
   * a route where credentials are guessed. There the account's limit counts every address together and is
   * higher, so that one address cannot lock the owner out while guessing spread over many still meets a limit.
   * Where mail is sent, the account's limit is the strict one, so that nobody floods an inbox.
   */
  bruteForce(route: string, opts?: { failuresOnly?: boolean }): RequestHandler[];
  /**
   * Placed after `identified` on the routes that stream a generated file (exports, reports): each can read a
   * whole table for minutes, and the general limit counts it as one request. Per user or per API key.
   */
  exports: RequestHandler;
}

const MINUTE_MS = 60_000;

const clientIp = (req: Request): string => `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;

/** Whose account an attempt is about; hashed so a shared store never holds addresses. */
function accountOf(req: Request): string | undefined {
  if (req.actor) return `user:${req.actor.userId}`;
  const email = (req.body as { email?: unknown } | undefined)?.email;
  if (typeof email !== 'string' || !email.trim()) return undefined;
  return `email:${crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

const pass: RequestHandler = (_req, _res, next) => next();

export function createRateLimits(
  config: Config['rateLimit'],
  stores: StoreFactory,
  logger: Logger,
): RateLimits {
  if (!config.enabled) {
    return {
      anonymous: pass,
      refused: (err, _req, _res, next) => next(err),
      identified: pass,
      bruteForce: () => [],
      exports: pass,
    };
  }

  const limiter = (
    name: string,
    o: {
      windowMs: number;
      limit: number | ((req: Request) => number);
      key: (req: Request) => string;
      skip?: (req: Request) => boolean;
      failuresOnly?: boolean;
      successesOnly?: boolean;
      message: string;
    },
  ): RequestHandler =>
    rateLimit({
      store: stores(name),
      windowMs: o.windowMs,
      limit: o.limit,
      keyGenerator: o.key,
      skip: o.skip ?? (() => false),
      skipSuccessfulRequests: o.failuresOnly ?? false,
      skipFailedRequests: o.successesOnly ?? false,
      // An attempt another limit refused checked no credentials: it is no failure to count.
      requestWasSuccessful: (_req, res) => res.statusCode < 400 || res.statusCode === 429,
      standardHeaders: 'draft-6',
      legacyHeaders: false,
      // TRUST_PROXY decides whether X-Forwarded-For counts; a client sending it anyway is not a misconfiguration.
      validate: { xForwardedForHeader: false },
      // The limiter has set Retry-After and RateLimit-*; the error handler renders the usual error body.
      handler: (_req, res, next) =>
        next(new RateLimitedError(o.message, Number(res.getHeader('Retry-After') ?? 1))),
      logger: {
        warn: (err, message) => logger.warn(`${message ?? 'Rate limiter'}: ${String(err)}`),
        error: (err, message) => logger.error(`${message ?? 'Rate limiter'}: ${String(err)}`),
      },
    });

  const tooMany = 'Too many requests: wait for the time in Retry-After, then try again';
  const byIp = limiter('anonymous', {
    windowMs: config.windowMs,
    limit: config.anonymousMax,
    key: clientIp,
    message: tooMany,
  });
  // A request meets this limit at several places (its route, then `refused` for any 401 after it, then
  // the unmatched-path fallback) but counts once; a signed-in one was counted for its user instead.
  const counted = new WeakSet<Request>();
  const anonymous: RequestHandler = (req, res, next) => {
    if (req.actor || counted.has(req)) return next();
    counted.add(req);
    return byIp(req, res, next);
  };

  const ownLimit = (req: Request): number | null | undefined => req.actor?.apiKey?.rateLimitPerMinute;
  const caller = (req: Request): string =>
    req.actor!.apiKey ? `key:${req.actor!.apiKey.id}` : `user:${req.actor!.userId}`;
  const perUser = limiter('user', {
    windowMs: config.userWindowMs,
    limit: config.userMax,
    key: caller,
    message: tooMany,
  });
  const perKey = limiter('api-key', {
    windowMs: MINUTE_MS,
    limit: (req) => ownLimit(req)!,
    key: (req) => `key:${req.actor!.apiKey!.id}`,
    message: 'This API key made too many requests this minute: wait for the time in Retry-After',
  });

  return {
    anonymous,
    refused: (err, req, res, next) => {
      if (!(err instanceof UnauthorizedError)) return next(err);
      anonymous(req, res, (limited?: unknown) => next(limited ?? err));
    },
    identified: (req, res, next) => (ownLimit(req) ? perKey : perUser)(req, res, next),
    exports: limiter('exports', {
      windowMs: config.windowMs,
      limit: config.exportMax,
      key: caller,
      // A refused query read nothing: correcting it does not use up the limit.
      successesOnly: true,
      message:
        'Too many exports and reports: wait for the time in Retry-After, or narrow one export instead of repeating it',
    }),
    bruteForce: (route, opts = {}) => {
      const common = {
        windowMs: config.windowMs,
        limit: config.authMax,
        failuresOnly: opts.failuresOnly,
        message: 'Too many attempts: wait for the time in Retry-After, then try again',
      };
      // The per-IP limit runs last, so its RateLimit-* headers are the ones a client sees: the limit one
      // client meets first. The account's limit answers with its own headers when it is the one reached.
      return [
        limiter(`${route}-account`, {
          ...common,
          limit: opts.failuresOnly ? config.authAccountMax : config.authMax,
          key: (req) => accountOf(req)!,
          skip: (req) => accountOf(req) === undefined,
        }),
        limiter(`${route}-ip`, { ...common, key: clientIp }),
      ];
    },
  };
}
