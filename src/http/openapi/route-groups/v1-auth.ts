import { dataOf } from '../operation';
import { objectBody } from '../route-docs';
import type { JsonSchema, QueryParam, ResponseDoc, RouteDoc, RouteGroup } from '../types';

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
    /** A public `POST /api/v1/auth/<action>` with a JSON body. */
    const publicPost = (
      action: string,
      summary: string,
      body: JsonSchema,
      responses: RouteDoc['responses'],
      query?: QueryParam[],
    ): RouteDoc => ({
      method: 'post',
      path: `/api/v1/auth/${action}`,
      summary,
      access: 'public',
      ...(query ? { query } : {}),
      body,
      responses,
    });
    /** The emailed links: a new password with the link's token. */
    const tokenRoute = (action: string, summary: string, ok: ResponseDoc): RouteDoc => ({
      ...publicPost(`${action}/:token`, summary, objectBody({ password }, ['password']), { 200: ok }),
      params: { token: { type: 'string' } },
    });
    return [
      publicPost(
        'register',
        'Create an organization with its first admin (only with ALLOW_SIGNUP)',
        objectBody({ email, password, first_name: text, last_name: text, organization_name: text }, [
          'email',
          'password',
          'first_name',
          'last_name',
          'organization_name',
        ]),
        {
          201: session,
          403: { description: 'Sign-up is off' },
          409: { description: 'The email has an account' },
        },
      ),
      publicPost('login', 'Sign in', objectBody({ email, password: text }, ['email', 'password']), {
        200: session,
        401: { description: 'Wrong email or password' },
        429: { description: 'Too many attempts' },
      }),
      publicPost(
        'refresh-token',
        'Exchange a refresh token (once) for a new session',
        objectBody({ refresh_token: text }, ['refresh_token']),
        { 200: session, 401: { description: 'Unknown, expired or spent refresh token' } },
      ),
      publicPost(
        'logout',
        'End this session, or with `all` every session of the user',
        objectBody({ refresh_token: text, all: { type: 'boolean' } }, ['refresh_token']),
        { 204: { description: 'Signed out' } },
        [{ name: 'all', description: 'End every session', schema: { type: 'boolean' } }],
      ),
      publicPost(
        'forgot-password',
        'Email a password-reset link (the same answer whether or not the address has an account)',
        objectBody({ email }, ['email']),
        { 202: message },
      ),
      tokenRoute('reset-password', 'Set a new password with the emailed token; ends every session', message),
      tokenRoute('accept-invite', 'Choose a password for an invited account and sign in', session),
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
