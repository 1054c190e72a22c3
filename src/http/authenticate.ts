import type { NextFunction, Request, Response } from 'express';
import type { Container } from '../container';
import { UnauthorizedError } from '../errors';

const BEARER = /^Bearer\s+(\S+)$/i;

/** Resolves the bearer token to an actor; every route after it is private. */
export function authenticate(c: Pick<Container, 'tokens' | 'directory'>) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match)
      throw new UnauthorizedError('Authentication required: send "Authorization: Bearer <access token>"');
    req.actor = await c.directory.actorFor(c.tokens.verify(match[1]!));
    next();
  };
}
