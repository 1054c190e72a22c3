import { Router } from 'express';
import type { Container } from '../../container';
import { authenticate } from '../authenticate';
import { errorHandler, routeNotFound } from '../error-handler';
import { requireAppMember, resolveApp } from './app-scope';
import { entityRoutes } from './entity-routes';
import { base44ErrorShape } from './errors';

/**
 * The Base44 wire surface (`@base44/sdk` pointed at this server): thin adapters over the same services as
 * /api/v1, answering in Base44's shapes — bare records and arrays, `q` filters, Base44's error body.
 */
export function base44Router(c: Container): Router {
  const router = Router();
  const app = Router({ mergeParams: true });
  app.use(resolveApp(c.models.get('Organization')));
  app.use(authenticate(c), c.rateLimits.refused);
  app.use(c.rateLimits.identified);
  app.use(requireAppMember(c.config.base44));
  app.use('/entities', entityRoutes(c));

  router.use('/apps/:appId', app);
  router.use(['/apps', '/app-logs'], routeNotFound);
  router.use(errorHandler(c.logger, base44ErrorShape));
  return router;
}
