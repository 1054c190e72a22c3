import crypto from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Container } from '../../container';
import { escapeHtml } from '../../services/mail/render';
import { toAppError } from '../error-handler';
import { returnOrigins, returnUrl } from './return-url';

const STYLE =
  'body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;justify-content:center}' +
  'form{background:#fff;margin-top:10vh;padding:32px;border-radius:8px;width:320px;box-shadow:0 1px 4px #0002}' +
  'label{display:block;margin:12px 0 4px}input{width:100%;box-sizing:border-box;padding:8px}' +
  'button{margin-top:20px;width:100%;padding:10px;background:#2563eb;color:#fff;border:0;border-radius:6px}' +
  '.error{color:#b91c1c}';
const STYLE_HASH = `'sha256-${crypto.createHash('sha256').update(STYLE).digest('base64')}'`;

interface PageState {
  fromUrl: string;
  email?: string;
  error?: string;
}

function page({ fromUrl, email, error }: PageState): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>Sign in</title>',
    `<style>${STYLE}</style></head><body>`,
    '<form method="post" action="/login"><h1>Sign in</h1>',
    error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '',
    `<input type="hidden" name="from_url" value="${escapeHtml(fromUrl)}">`,
    '<label for="email">Email</label>',
    `<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email ?? '')}">`,
    '<label for="password">Password</label>',
    '<input id="password" name="password" type="password" autocomplete="current-password" required>',
    '<button type="submit">Sign in</button></form></body></html>',
  ].join('');
}

/**
 * The page `base44.auth.redirectToLogin()` opens (`/login?from_url=...`). A plain form with no script and
 * no outside asset; after a good sign-in it sends the browser back to `from_url` with `?access_token=`,
 * which the SDK picks up — only to the origins this server names (see return-url.ts).
 */
export function loginPage(c: Container): Router {
  const router = Router();
  const { anonymous, bruteForce } = c.rateLimits;

  // form-action also governs where the form's redirect may go, so it lists the return origins.
  const securityHeaders = (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; style-src ${STYLE_HASH}; form-action 'self' ${returnOrigins(c.config).join(' ')}; ` +
        "frame-ancestors 'none'; base-uri 'none'",
    );
    res.setHeader('Cache-Control', 'no-store');
    next();
  };

  router.get('/login', securityHeaders, (req, res) => {
    const fromUrl = returnUrl(c.config, req.query.from_url).toString();
    res.type('html').send(page({ fromUrl }));
  });

  router.post(
    '/login',
    securityHeaders,
    express.urlencoded({ extended: false, limit: '10kb' }),
    anonymous,
    ...bruteForce('login', { failuresOnly: true }),
    async (req, res) => {
      const form = (req.body ?? {}) as Record<string, unknown>;
      const back = returnUrl(c.config, form.from_url);
      const session = await c.appAccounts.login(
        undefined,
        { email: form.email, password: form.password },
        { userAgent: req.get('user-agent'), ip: req.ip },
      );
      back.searchParams.set('access_token', session.access_token);
      res.redirect(303, back.toString());
    },
  );

  // Failures show the form again with the reason, instead of a JSON body a person cannot act on.
  router.use('/login', (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = toAppError(err);
    if (e.status >= 500) c.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    const form = (req.body ?? {}) as Record<string, unknown>;
    const fromUrl = String(form.from_url ?? req.query.from_url ?? '');
    for (const [name, value] of Object.entries(e.headers ?? {})) res.setHeader(name, value);
    res
      .status(e.status)
      .type('html')
      .send(page({ fromUrl, email: typeof form.email === 'string' ? form.email : '', error: e.message }));
  });
  return router;
}
