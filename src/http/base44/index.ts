import { Router } from 'express';
import type { Container } from '../../container';
import { authenticate } from '../authenticate';
import { errorHandler, routeNotFound } from '../error-handler';
import { privateAccountRoutes, publicAccountRoutes } from './account-routes';
import { requireAppMember, requireKnownApp, resolveApp } from './app-scope';
import { browserRoutes } from './browser-routes';
import { entityRoutes } from './entity-routes';
import { base44ErrorShape } from './errors';
import { integrationRoutes } from './integration-routes';

/**
 * The Base44 wire surface (`@base44/sdk` pointed at this server): thin adapters over the same services as
 * /api/v1, answering in Base44's shapes — bare records and arrays, `q` filters, Base44's error body.
 */
export function base44Router(c: Container): Router {
  const router = Router();
  const app = Router({ mergeParams: true });
  app.use(resolveApp(c.models.get('Organization')));
  app.use('/auth', requireKnownApp(c.config.base44), publicAccountRoutes(c));
  app.use(authenticate(c), c.rateLimits.refused);
  app.use(c.rateLimits.identified);
  app.use(requireAppMember(c.config.base44));
  // Fixed paths (`entities/User/me`) before the generic `entities/:Entity/:id`.
  app.use(privateAccountRoutes(c));
  app.use('/integration-endpoints', integrationRoutes(c));
  app.use('/entities', entityRoutes(c));

  // Before `/apps/:appId`, which would take `auth` and `public` for app ids.
  router.use(browserRoutes(c));
  router.use('/apps/:appId', app);
  router.use(['/apps', '/app-logs'], routeNotFound);
  router.use(errorHandler(c.logger, base44ErrorShape));
  return router;
}
