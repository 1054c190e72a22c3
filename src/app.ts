import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Container } from './container';
import { errorHandler, routeNotFound } from './http/error-handler';
import { adminApp } from './http/admin-app';
import { fileRoutes } from './http/file-routes';
import { healthRouter } from './http/health';
import { openApiRoutes } from './http/openapi/router';
import { requestId, requestLogger } from './http/request-context';
import { base44Router } from './http/base44';
import { loginPage } from './http/base44/login-page';
import { v1Router } from './http/v1';

/** The HTTP app, without listening: `index.ts` serves it, tests drive it with supertest. */
export function createApp(c: Container): Express {
  const { config } = c;
  const app = express();
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  app.disable('x-powered-by');

  app.use(c.inFlight.track);
  app.use(requestId);
  app.use(requestLogger(c.logger));
  app.use(helmet());
  // Public lead forms post from any site: their endpoint answers every origin (it takes no credentials).
  app.use(
    '/api/v1/intake/leads',
    cors({ origin: '*', methods: ['POST'], allowedHeaders: ['Content-Type', 'X-Intake-Key'], maxAge: 600 }),
  );
  app.use(
    cors({
      origin: config.http.corsOrigins === '*' ? '*' : config.http.corsOrigins,
      exposedHeaders: [
        'X-Request-Id',
        'Location',
        'Retry-After',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
      ],
      maxAge: 600,
    }),
  );
  app.use(
    express.json({ limit: config.http.jsonBodyLimit, type: ['application/json', 'application/*+json'] }),
  );

  app.use(healthRouter(c));
  app.use('/files', c.rateLimits.anonymous, fileRoutes(c.documents, c.storage));
  app.use('/api', openApiRoutes(c, c.rateLimits.anonymous, c.inFlight.filesOnly));
  app.use('/api/v1', v1Router(c));
  app.use('/api', base44Router(c));
  // Base44 apps send people to `<server>/login?from_url=...` (base44.auth.redirectToLogin).
  app.use(loginPage(c));
  // The backoffice app (static files; it talks to /api/v1 like any other client).
  app.use('/admin', c.inFlight.filesOnly, adminApp());
  app.use(c.rateLimits.anonymous);

  app.use(routeNotFound);
  app.use(errorHandler(c.logger));
  return app;
}
