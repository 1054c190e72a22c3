import { resetRequestSchema } from '../../../auth/account-links';
import {
  appCodeCheckSchema,
  appCodeRequestSchema,
  appInvitationSchema,
  appPasswordChangeSchema,
  appRegistrationSchema,
} from '../../../auth/app-accounts';
import { credentialsSchema } from '../../../auth/auth-service';
import { passwordRule } from '../../../auth/password-policy';
import { joiToJsonSchema } from '../joi-schema';
import type { JsonSchema, ResponseDoc, RouteDoc, RouteGroup } from '../types';

const BASE44_ERRORS = { schema: 'Base44Error', validationStatus: 422 };
const appId = { type: 'string', description: "The app's id (an organization's `app_id`)" };
/** Validated with `stripUnknown`: fields the SDK adds are dropped. */
const body = (schema: Parameters<typeof joiToJsonSchema>[0]) =>
  joiToJsonSchema(schema, { stripsUnknown: true });

const user: JsonSchema = {
  allOf: [
    { $ref: '#/components/schemas/Base44Record' },
    {
      type: 'object',
      description: 'The User record in Base44 shape',
      properties: {
        full_name: { type: ['string', 'null'] },
        email: { type: 'string' },
        role: { type: 'string' },
      },
    },
  ],
};
const signedIn: ResponseDoc = {
  description: 'Signed in (the SDK keeps the access token; no refresh token is handed to the browser)',
  schema: {
    type: 'object',
    required: ['access_token', 'token_type', 'expires_in', 'user'],
    properties: {
      access_token: { type: 'string' },
      token_type: { const: 'Bearer' },
      expires_in: { type: 'integer', description: 'Seconds' },
      user,
    },
  },
};
const message = (description: string): ResponseDoc => ({
  description,
  schema: { type: 'object', properties: { message: { type: 'string' } } },
});
const tooMany: ResponseDoc = { description: 'Too many attempts: retry after `Retry-After` seconds' };
const unknownApp: ResponseDoc = { description: 'No app has this id (and BASE44_ANY_APP_ID is off)' };

/**
 * `/api/apps/{appId}/auth/...`, `entities/User/me` and invitations, as `base44.auth` and `base44.users`
 * call them: the same accounts, sessions and policies as /api/v1/auth.
 */
export const base44AccountRoutes: RouteGroup = {
  tag: 'Base44 auth',
  description:
    "Accounts as a Base44 app manages them, in the organization its app id names: self-registration confirmed by an emailed 6-digit code (when BASE44_SIGNUP_ROLE is set), sign-in, password resets and changes, one's own record, invitations.",
  errors: BASE44_ERRORS,
  routes: () => {
    const route = (r: Omit<RouteDoc, 'params'>): RouteDoc => ({ ...r, params: { appId } });
    const publicRoute = (r: Omit<RouteDoc, 'params' | 'access'>): RouteDoc =>
      route({ ...r, access: 'public', responses: { 404: unknownApp, 429: tooMany, ...r.responses } });
    /** A public `POST /api/apps/{appId}/auth/<action>` with a body the SDK sends. */
    const authPost = (
      action: string,
      summary: string,
      schema: Parameters<typeof body>[0],
      responses: RouteDoc['responses'],
      description?: string,
    ): RouteDoc =>
      publicRoute({
        method: 'post',
        path: `/api/apps/:appId/auth/${action}`,
        summary,
        ...(description ? { description } : {}),
        body: body(schema),
        responses,
      });
    return [
      authPost('login', 'Sign in with email and password', credentialsSchema, {
        200: signedIn,
        401: { description: 'Wrong email or password, or a registration whose code is not confirmed yet' },
      }),
      authPost(
        'register',
        'Register: an inactive account, and a 6-digit code emailed to confirm it (10 minutes)',
        appRegistrationSchema,
        {
          201: message('The code is on its way'),
          403: { description: 'Registration is off (BASE44_SIGNUP_ROLE is not set)' },
          409: { description: 'An account with this email exists' },
        },
        'Registering again before confirming replaces the password and sends a new code.',
      ),
      authPost(
        'verify-otp',
        'Confirm a registration with its emailed code, and sign in',
        appCodeCheckSchema,
        {
          200: signedIn,
          400: { description: 'The code is wrong, expired or used (`INVALID_CODE`)' },
        },
      ),
      authPost(
        'resend-otp',
        'Email a new code to a registration awaiting one (the same answer for any address)',
        appCodeRequestSchema,
        {
          200: {
            description: 'Accepted',
            schema: {
              type: 'object',
              properties: { message: { type: 'string' }, expires_in_minutes: { const: 10 } },
            },
          },
        },
      ),
      authPost(
        'reset-password-request',
        'Email a password-reset link (the same answer whether or not the address has an account)',
        resetRequestSchema,
        { 200: message('Accepted') },
      ),
      publicRoute({
        method: 'post',
        path: '/api/apps/:appId/auth/reset-password',
        summary: "Set a new password with the reset link's token; ends every session",
        body: {
          type: 'object',
          required: ['reset_token', 'new_password'],
          properties: { reset_token: { type: 'string' }, new_password: joiToJsonSchema(passwordRule) },
        },
        responses: {
          200: message('Changed'),
          400: { description: 'The token has expired, was used, or a newer one was sent (`INVALID_TOKEN`)' },
        },
      }),
      route({
        method: 'post',
        path: '/api/apps/:appId/auth/change-password',
        summary: "Change one's own password; every other session ends, the answer is a new one",
        access: 'signed-in',
        body: body(appPasswordChangeSchema),
        responses: {
          200: signedIn,
          401: { description: 'The current password is wrong' },
          403: { description: '`user_id` names someone else, or the caller is an API key' },
        },
      }),
      route({
        method: 'get',
        path: '/api/apps/:appId/entities/User/me',
        summary: "The signed-in user's own record (`base44.auth.me()`)",
        access: 'signed-in',
        responses: { 200: { description: 'The user', schema: user } },
      }),
      route({
        method: 'put',
        path: '/api/apps/:appId/entities/User/me',
        summary: "Change one's own record (`base44.auth.updateMe()`)",
        description:
          "Apps send whole records back: `id`, `email`, `role` and `organization_id` are ignored while unchanged and refused (403) when changed; Base44's built-in fields and fields User does not have are dropped.",
        access: 'signed-in',
        body: { type: 'object', description: 'Fields of the User record' },
        responses: {
          200: { description: 'The user', schema: user },
          403: { description: 'An identity field was changed, or the caller is an API key' },
        },
      }),
      ...['/api/apps/:appId/users/invite-user', '/api/apps/:appId/runtime/users/invite-user'].map((path) =>
        route({
          method: 'post',
          path,
          summary: 'Invite someone: an account without a password, and an emailed link to choose one',
          description:
            "Base44's role `user` is BASE44_SIGNUP_ROLE (else sales_rep); this server's roles are accepted too.",
          body: body(appInvitationSchema),
          responses: {
            201: { description: 'The invited user', schema: user },
            409: { description: 'An account with this email exists' },
          },
        }),
      ),
    ];
  },
};
