import type { JsonSchema, RouteDoc, RouteGroup } from '../types';

const appId: JsonSchema = { type: 'string', description: "The app's id" };
const fromUrl = {
  name: 'from_url',
  description: 'Where to send the browser back to: this server, CORS_ORIGINS or APP_BASE_URLS',
  schema: { type: 'string', format: 'uri' },
};

/** Calls a Base44 frontend makes without a token (http/base44/browser-routes.ts). */
export const base44BrowserRoutes: RouteGroup = {
  tag: 'Base44 app shell',
  description:
    'What a Base44 frontend calls on its own, without a token: signing out, its public settings, and analytics and page-view pings, which are accepted and dropped (nothing is stored).',
  errors: { schema: 'Base44Error', validationStatus: 422 },
  routes: (): RouteDoc[] => [
    {
      method: 'get',
      path: '/api/apps/auth/logout',
      summary: 'Sign out (`base44.auth.logout(url)`): redirects back to `from_url`',
      description:
        'Tokens live in the app, which the SDK has already cleared; the server holds no session cookie.',
      access: 'public',
      query: [{ ...fromUrl, required: true }],
      responses: {
        302: {
          description: 'To `from_url`',
          headers: { Location: { description: '`from_url`', schema: { type: 'string' } } },
        },
        422: { description: '`from_url` is missing or on an origin this server does not name' },
      },
    },
    {
      method: 'get',
      path: '/api/apps/public/prod/public-settings/by-id/:appId',
      summary: "An app's public settings, which the frontend reads before sign-in",
      access: 'public',
      params: { appId },
      responses: {
        200: {
          description: 'The settings',
          schema: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              public_settings: {
                type: 'object',
                properties: {
                  requires_auth: { const: true },
                  registration_enabled: {
                    type: 'boolean',
                    description: 'Whether BASE44_SIGNUP_ROLE allows self-registration',
                  },
                },
              },
            },
          },
        },
        404: { description: 'No app has this id (and BASE44_ANY_APP_ID is off)' },
      },
    },
    {
      method: 'post',
      path: '/api/apps/:appId/analytics/track/batch',
      summary: 'Analytics events from the SDK: accepted and dropped',
      access: 'public',
      params: { appId },
      responses: { 204: { description: 'Accepted' } },
    },
    {
      method: 'post',
      path: '/api/app-logs/:appId/log-user-in-app/*page',
      summary: 'A page-view ping from the SDK: accepted and dropped',
      access: 'public',
      params: { appId, page: { type: 'string', description: 'The page (may contain /)' } },
      responses: {
        200: {
          description: 'Accepted',
          schema: { type: 'object', properties: { success: { const: true } } },
        },
      },
    },
  ],
};
