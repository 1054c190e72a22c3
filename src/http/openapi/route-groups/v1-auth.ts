import { dataOf } from '../operation';
import { objectBody } from '../route-docs';
import type { JsonSchema, ResponseDoc, RouteDoc, RouteGroup } from '../types';

const password: JsonSchema = { type: 'string', minLength: 8, maxLength: 128 };
const email: JsonSchema = { type: 'string', format: 'email' };
const text = { type: 'string' };

export const v1AuthRoutes: RouteGroup = {
  tag: 'Auth',
  description:
    'Signing up, in and out, emailed links, and the signed-in person. The public routes are limited per client IP and per account.',
  routes: ({ ref }) => {
    const session = { description: 'A session', schema: dataOf(ref('Session')) };
    const message = { description: 'Done', schema: dataOf(ref('Message')) };
    const me = { description: 'The user', schema: dataOf(ref('User')) };
    /** The emailed links: a new password with the link's token. */
    const tokenRoute = (path: string, summary: string, ok: ResponseDoc): RouteDoc => ({
      method: 'post',
      path,
      summary,
      access: 'public',
      params: { token: { type: 'string' } },
      body: objectBody({ password }, ['password']),
      responses: { 200: ok },
    });
    return [
      {
        method: 'post',
        path: '/api/v1/auth/register',
        summary: 'Create an organization with its first admin (only with ALLOW_SIGNUP)',
        access: 'public',
        body: objectBody({ email, password, first_name: text, last_name: text, organization_name: text }, [
          'email',
          'password',
          'first_name',
          'last_name',
          'organization_name',
        ]),
        responses: {
          201: session,
          403: { description: 'Sign-up is off' },
          409: { description: 'The email has an account' },
        },
      },
      {
        method: 'post',
        path: '/api/v1/auth/login',
        summary: 'Sign in',
        access: 'public',
        body: objectBody({ email, password: text }, ['email', 'password']),
        responses: {
          200: session,
          401: { description: 'Wrong email or password' },
          429: { description: 'Too many attempts' },
        },
      },
      {
        method: 'post',
        path: '/api/v1/auth/refresh-token',
        summary: 'Exchange a refresh token (once) for a new session',
        access: 'public',
        body: objectBody({ refresh_token: text }, ['refresh_token']),
        responses: { 200: session, 401: { description: 'Unknown, expired or spent refresh token' } },
      },
      {
        method: 'post',
        path: '/api/v1/auth/logout',
        summary: 'End this session, or with `all` every session of the user',
        access: 'public',
        query: [{ name: 'all', description: 'End every session', schema: { type: 'boolean' } }],
        body: objectBody({ refresh_token: text, all: { type: 'boolean' } }, ['refresh_token']),
        responses: { 204: { description: 'Signed out' } },
      },
      {
        method: 'post',
        path: '/api/v1/auth/forgot-password',
        summary: 'Email a password-reset link (the same answer whether or not the address has an account)',
        access: 'public',
        body: objectBody({ email }, ['email']),
        responses: { 202: message },
      },
      tokenRoute(
        '/api/v1/auth/reset-password/:token',
        'Set a new password with the emailed token; ends every session',
        message,
      ),
      tokenRoute(
        '/api/v1/auth/accept-invite/:token',
        'Choose a password for an invited account and sign in',
        session,
      ),
      {
        method: 'get',
        path: '/api/v1/auth/me',
        summary: 'The signed-in user',
        access: 'signed-in',
        responses: { 200: me },
      },
      {
        method: 'put',
        path: '/api/v1/auth/update-profile',
        summary: "Change one's own profile",
        access: 'signed-in',
        body: objectBody(
          Object.fromEntries(
            ['first_name', 'last_name', 'phone', 'title', 'department', 'avatar_url', 'timezone'].map((f) => [
              f,
              text,
            ]),
          ),
          [],
        ),
        responses: { 200: me },
      },
      {
        method: 'put',
        path: '/api/v1/auth/update-password',
        summary: "Change one's own password; ends every other session",
        access: 'signed-in',
        body: objectBody({ current_password: text, new_password: password }, [
          'current_password',
          'new_password',
        ]),
        responses: { 200: session },
      },
    ];
  },
};
