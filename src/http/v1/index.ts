import { Router } from 'express';
import type { Container } from '../../container';
import { authenticate } from '../authenticate';
import { privateAuthRoutes, publicAuthRoutes } from './auth-routes';
import { actorOf } from '../request-context';
import { singleFile } from '../uploads/single-file';
import { documentRoutes } from './document-routes';
import { emailRoutes } from './email-routes';
import { entityRouter } from './entity-router';

/** /api/v1: sign-in, then everything behind a bearer token — one generated router per declared entity. */
export function v1Router(c: Container): Router {
  const router = Router();
  router.use('/auth', publicAuthRoutes(c.auth));
  router.use(authenticate(c));
  router.use('/auth', privateAuthRoutes(c.auth));
  // Domain routes first: their fixed paths (/documents/recent, /emails/send) must win over /:id.
  const upload = singleFile(
    c.storage,
    { maxBytes: c.config.storage.maxUploadBytes, allowedTypes: new Set(c.config.storage.allowedTypes) },
    (req) => c.documents.newKey(actorOf(req).organizationId),
  );
  router.use('/documents', documentRoutes(c.documents, c.crud, upload));
  router.use('/emails', emailRoutes(c.emails));
  for (const rt of c.registry.all()) router.use(`/${rt.decl.path}`, entityRouter(rt, c.crud));
  return router;
}
