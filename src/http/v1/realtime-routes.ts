import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Container } from '../../container';
import { InvalidQueryError, UnauthorizedError } from '../../errors';
import type { SubscriberSink } from '../../realtime/broker';
import { apiKeyIdentity, tokenIdentity, type Identity } from '../../realtime/identity';
import { onlyParams } from './list-params';

/** Often enough that proxies and load balancers (typically 60 s idle timeouts) keep the stream open. */
const KEEP_ALIVE_MS = 25_000;
const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The credential of a stream: an `X-API-Key`, a bearer token, or — because a browser's EventSource cannot
 * set headers — the access token in `?access_token=`. Verified as everywhere else; exactly one is accepted.
 */
function streamCredentials(c: Container) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const apiKey = req.get('x-api-key');
    const header = req.get('authorization');
    const query = req.query.access_token;
    if ([apiKey, header, query].filter((v) => v !== undefined).length > 1) {
      throw new UnauthorizedError(
        'Send one credential: an X-API-Key header, an Authorization header or access_token, not several',
      );
    }
    const token = header !== undefined ? BEARER.exec(header)?.[1] : query;
    let identity: Identity;
    if (apiKey !== undefined) identity = await apiKeyIdentity(c.apiKeys, apiKey);
    else if (typeof token === 'string' && token) identity = await tokenIdentity(c, token);
    else {
      throw new UnauthorizedError(
        'Authentication required: send "Authorization: Bearer <access token>", ?access_token=<access token> ' +
          'or an "X-API-Key" header',
      );
    }
    req.actor = identity.actor;
    res.locals.identity = identity;
    next();
  };
}

function entityNames(raw: unknown): string[] {
  const names =
    typeof raw === 'string'
      ? raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  if (!names.length) {
    throw new InvalidQueryError('Name the entities to follow: ?entities=Lead,Deal', [
      { field: 'entities', message: 'required' },
    ]);
  }
  return [...new Set(names)];
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * `GET /api/v1/realtime?entities=Lead,Deal` — Server-Sent Events: `ready` once, then a `change` for each
 * committed create, update or delete the caller may read (the record in /api/v1 shape), a comment every
 * 25 s, and `end` with the reason when the server ends the stream (account deactivated, session ended,
 * token expired, shutdown). Mounted before the general authentication, which knows no `access_token`.
 */
export function realtimeRoutes(c: Container): Router {
  const router = Router();
  router.get(
    '/',
    streamCredentials(c),
    c.rateLimits.refused,
    c.rateLimits.identified,
    (req: Request, res: Response) => {
      onlyParams(req.query, ['entities', 'access_token']);
      const entities = entityNames(req.query.entities);
      const sink: SubscriberSink = {
        deliver: (d) => {
          res.write(
            frame('change', {
              entity: d.entity,
              type: d.type,
              id: d.id,
              data: d.record,
              timestamp: d.timestamp,
            }),
          );
        },
        end: (reason) => res.end(frame('end', { message: reason })),
      };
      const sub = c.realtime.connect(res.locals.identity as Identity, sink);
      try {
        for (const name of entities) sub.follow(name);
      } catch (err) {
        sub.close();
        throw err;
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        // nginx buffers responses unless told otherwise, which would hold events back.
        'X-Accel-Buffering': 'no',
      });
      res.write(frame('ready', { entities }));
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      res.on('close', () => {
        clearInterval(keepAlive);
        sub.close();
        // The client left: ending the (closed) response tells InFlightRequests this stream is over.
        res.end();
      });
    },
  );
  return router;
}
