import { Router } from 'express';
import type { Container } from '../../container';
import { NotFoundError } from '../../errors';
import { organizationOfApp } from './app-scope';
import { returnUrl } from './return-url';

/**
 * Calls a Base44 frontend makes on its own, without a token: signing out, its public settings, and
 * analytics and page-view pings, which are accepted and dropped (nothing is stored for them).
 */
export function browserRoutes(c: Container): Router {
  const router = Router();
  const organizations = c.models.get('Organization');

  // Tokens live in the app's storage, which the SDK has already cleared; the server holds no session cookie.
  router.get('/apps/auth/logout', (req, res) => {
    res.redirect(302, returnUrl(c.config, req.query.from_url).toString());
  });

  router.get('/apps/public/prod/public-settings/by-id/:appId', async (req, res) => {
    const orgId = await organizationOfApp(organizations, req.params.appId);
    if (!orgId && !c.config.base44.anyAppId)
      throw new NotFoundError(`No app with id ${JSON.stringify(req.params.appId)}`);
    res.json({
      id: req.params.appId,
      public_settings: {
        requires_auth: true,
        registration_enabled: c.config.base44.signupRole !== undefined,
      },
    });
  });

  router.post('/apps/:appId/analytics/track/batch', (_req, res) => {
    res.status(204).end();
  });
  router.post('/app-logs/:appId/log-user-in-app/*page', (_req, res) => {
    res.json({ success: true });
  });
  return router;
}
