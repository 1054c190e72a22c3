import { Router } from 'express';
import type { Container } from '../../container';
import { authenticate } from '../authenticate';
import { privateAuthRoutes, publicAuthRoutes } from './auth-routes';
import { entityRouter } from './entity-router';

/** /api/v1: sign-in, then everything behind a bearer token — one generated router per declared entity. */
export function v1Router(c: Container): Router {
  const router = Router();
  router.use('/auth', publicAuthRoutes(c.auth));
  router.use(authenticate(c));
  router.use('/auth', privateAuthRoutes(c.auth));
  for (const rt of c.registry.all()) router.use(`/${rt.decl.path}`, entityRouter(rt, c.crud));
  return router;
}
