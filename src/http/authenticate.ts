import type { NextFunction, Request, Response } from 'express';
import type { Container } from '../container';
import { ForbiddenError, UnauthorizedError } from '../errors';
import { actorOf } from './request-context';

const BEARER = /^Bearer\s+(\S+)$/i;

/** Resolves the API key or the bearer token to an actor; every route after it is private. */
export function authenticate(c: Pick<Container, 'tokens' | 'directory' | 'apiKeys'>) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const apiKey = req.get('x-api-key');
    if (apiKey !== undefined) {
      // Two identities in one request would leave it unclear who acts: refuse rather than pick one.
      if (req.get('authorization'))
        throw new UnauthorizedError('Send either an API key or a bearer token, not both');
      req.actor = await c.apiKeys.authenticate(apiKey);
      return next();
    }
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match) {
      throw new UnauthorizedError(
        'Authentication required: send "Authorization: Bearer <access token>" or an "X-API-Key" header',
      );
    }
    req.actor = await c.directory.actorFor(c.tokens.verify(match[1]!));
    next();
  };
}

/** Guards routes about the signed-in person (profile, password, sessions) rather than records: a key is no one. */
export function refuseApiKeys(req: Request, _res: Response, next: NextFunction): void {
  if (actorOf(req).apiKey)
    throw new ForbiddenError(
      'API keys cannot use this route: it is for a signed-in user, not an integration',
    );
  next();
}
