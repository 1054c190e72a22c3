import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { NotFoundError, ServiceUnavailableError } from '../errors';

/** The package root, found from here whether this runs from src/ (tsx, jest) or from dist/src/ (npm start). */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * Helmet's default policy, plus blob: images and frames: documents are previewed from blob URLs because
 * their download needs the bearer token.
 */
const CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "object-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "frame-src 'self' blob:",
].join('; ');

export const ADMIN_DIST = path.join(packageRoot(), 'admin', 'dist');

/**
 * /admin: the backoffice single-page app built by `npm run build` into admin/dist. Vite names assets after
 * their content, so they are cached for good; index.html is revalidated every time so a deploy shows at
 * once; any other path is a screen of the app and gets index.html (the app routes in the browser).
 */
export function adminApp(dist = ADMIN_DIST): Router {
  const router = Router();
  const index = path.join(dist, 'index.html');
  router.use(
    '/assets',
    express.static(path.join(dist, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
    }),
  );
  // An asset a stale page asks for after a deploy: a 404, never index.html in its place.
  router.use('/assets', (req) => {
    throw new NotFoundError(`No admin asset ${req.path}: reload the page to get the current version`);
  });
  router.use(
    express.static(dist, {
      index: false,
      // /admin is a screen (index.html below), not a directory to redirect to /admin/.
      redirect: false,
      maxAge: 0,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  router.get('/{*screen}', (_req, res) => {
    if (!fs.existsSync(index)) {
      throw new ServiceUnavailableError(
        'The admin app has not been built: run `npm run build` (npm start does it when sources changed)',
      );
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', CSP);
    res.sendFile(index);
  });
  return router;
}
