import { Router } from 'express';
import type { Container } from '../../container';
import { authenticate, refuseApiKeys } from '../authenticate';
import { apiKeyRoutes } from './api-key-routes';
import { auditRoutes } from './audit-routes';
import { privateAuthRoutes, publicAuthRoutes } from './auth-routes';
import { actorOf } from '../request-context';
import { singleFile } from '../uploads/single-file';
import { documentRoutes } from './document-routes';
import { emailRoutes } from './email-routes';
import { entityRouter } from './entity-router';
import { leadRoutes } from './lead-routes';
import {
  intakeAnalyticsRoutes,
  intakeFormRoutes,
  publicIntakeRoutes,
  spamRoutes,
  vendorLeadRoutes,
} from './intake-routes';
import { metaRoutes } from './meta-routes';
import { realtimeRoutes } from './realtime-routes';
import { userRoutes } from './user-routes';
import { analyticsRoutes } from './analytics-routes';
import { reportRoutes } from './report-routes';

/** /api/v1: sign-in, then everything behind a bearer token or an API key; one router per declared entity. */
export function v1Router(c: Container): Router {
  const router = Router();
  router.use('/auth', publicAuthRoutes(c));
  // Event streams authenticate on their own: EventSource cannot send headers, so they also take ?access_token=.
  router.use('/realtime', realtimeRoutes(c));
  // Web forms post leads with a form key, no credentials (app.ts gives this path its own open CORS).
  router.use('/intake', publicIntakeRoutes(c.intake.leads, c.rateLimits.anonymous));
  router.use(authenticate(c), c.rateLimits.refused);
  router.use(c.rateLimits.identified);
  router.use('/auth', refuseApiKeys, privateAuthRoutes(c));
  router.use('/api-keys', apiKeyRoutes(c.apiKeys));
  // Domain routes first: their fixed paths (/documents/recent, /emails/send) must win over /:id.
  const upload = singleFile(
    c.storage,
    { maxBytes: c.config.storage.maxUploadBytes, allowedTypes: new Set(c.config.storage.allowedTypes) },
    (req) => c.documents.newKey(actorOf(req).organizationId),
  );
  router.use('/documents', documentRoutes(c.documents, c.crud, upload));
  router.use('/emails', emailRoutes(c.emails));
  // Lead intake: vendors' API-key posts are screened; forms, held spam and intake figures.
  router.use('/leads', vendorLeadRoutes(c.intake.leads));
  router.use('/intake/forms', intakeFormRoutes(c.intake.forms));
  router.use('/spam', spamRoutes(c.intake.spam));
  router.use('/analytics', intakeAnalyticsRoutes(c.intake.spam));
  router.use('/analytics', analyticsRoutes(c.analytics));
  router.use('/reports', reportRoutes(c.reports, c.rateLimits.exports));
  router.use('/leads', leadRoutes(c.leads));
  router.use('/users', userRoutes(c.accountLinks));
  router.use('/audit', auditRoutes(c.history));
  // Admin app metadata: what each entity looks like to this caller.
  router.use('/meta', metaRoutes(c.entityMeta));
  const imports = { jobs: c.importJobs, maxBytes: c.config.imports.maxBytes };
  const exports = { exporter: c.exporter, limit: c.rateLimits.exports };
  for (const rt of c.registry.all())
    router.use(`/${rt.decl.path}`, entityRouter(rt, c.crud, c.history, exports, imports));
  return router;
}
