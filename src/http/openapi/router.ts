import crypto from 'node:crypto';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import { buildOpenApiDocument, type DocumentSource } from './document';

const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
/** The files of swagger-ui-dist the page loads; nothing else of the package is served. */
const ASSETS = new Set([
  '/swagger-ui.css',
  '/swagger-ui-bundle.js',
  '/favicon-32x32.png',
  '/favicon-16x16.png',
]);

const INIT_SCRIPT =
  "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });";
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Nexa CRM API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script>${INIT_SCRIPT}</script>
</body>
</html>
`;

/**
 * The app's CSP stays strict everywhere else; this page also runs its one inline script (allowed by its
 * hash, not by 'unsafe-inline') and Swagger UI's inline styles and data: images.
 */
const docsPolicy = helmet.contentSecurityPolicy({
  directives: {
    ...helmet.contentSecurityPolicy.getDefaultDirectives(),
    'script-src': ["'self'", `'sha256-${crypto.createHash('sha256').update(INIT_SCRIPT).digest('base64')}'`],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
  },
});

/** GET /api/openapi.json and Swagger UI at /api/docs; the document is built on first request. */
export function openApiRoutes(
  source: DocumentSource,
  limit: RequestHandler,
  filesOnly: RequestHandler,
): Router {
  const router = Router();
  let document: object | undefined;
  router.get('/openapi.json', limit, (_req, res) => {
    document ??= buildOpenApiDocument(source);
    res.json(document);
  });
  router.get('/docs', limit, docsPolicy, (_req, res) => {
    res.type('html').send(PAGE);
  });
  const assets = express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1d' });
  router.use('/docs', (req, res, next) =>
    ASSETS.has(req.path) ? filesOnly(req, res, () => assets(req, res, next)) : next(),
  );
  return router;
}
