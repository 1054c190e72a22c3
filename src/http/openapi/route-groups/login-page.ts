import type { ResponseDoc, RouteGroup } from '../types';

const html = (description: string): ResponseDoc => ({
  description,
  schema: { type: 'string' },
  contentType: 'text/html',
});
const fromUrl = {
  name: 'from_url',
  description: 'Where to send the browser after signing in: this server, CORS_ORIGINS or APP_BASE_URLS',
  schema: { type: 'string', format: 'uri' },
  required: true,
};

/** The sign-in page `base44.auth.redirectToLogin()` opens (http/base44/login-page.ts); it answers in HTML. */
export const loginPageRoutes: RouteGroup = {
  tag: 'Sign-in page',
  description:
    'A plain HTML form for Base44 apps that send people to `<server>/login?from_url=...`; after signing in the browser goes back to `from_url` with `?access_token=`. Failures show the form again with the reason.',
  routes: () => [
    {
      method: 'get',
      path: '/login',
      summary: 'The sign-in form',
      access: 'public',
      query: [fromUrl],
      responses: {
        200: html('The form'),
        400: html(
          'The form with the reason: `from_url` is missing or on an origin this server does not name',
        ),
      },
    },
    {
      method: 'post',
      path: '/login',
      summary: 'Sign in from the form, then back to `from_url` with `?access_token=`',
      access: 'public',
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            type: 'object',
            required: ['email', 'password', 'from_url'],
            properties: {
              email: { type: 'string', format: 'email' },
              password: { type: 'string' },
              from_url: { type: 'string', format: 'uri' },
            },
          },
        },
      },
      responses: {
        303: {
          description: 'Signed in: to `from_url` with `access_token` added to its query',
          headers: { Location: { description: 'The return URL', schema: { type: 'string' } } },
        },
        400: html('The form with the reason: bad input or `from_url` not allowed'),
        401: html('The form with the reason: wrong email or password'),
        429: html('The form with the reason: too many attempts (see `Retry-After`)'),
      },
    },
  ],
};
