import { dataOf, listOf } from '../operation';
import { pageParams } from '../query-params';
import { actionRoute, deleteRoute, getOneRoute, objectBody, patchRoute } from '../route-docs';
import type { JsonSchema, RouteGroup } from '../types';

const nullableInt = { type: ['integer', 'null'], minimum: 1 };
const writable: Record<string, JsonSchema> = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  scopes: {
    type: 'array',
    minItems: 1,
    items: { type: 'string', examples: ['leads:create', 'documents:read', '*'] },
    description: '`<entity path>:<read|create|update|delete|*>`, or `*`',
  },
  source_code: {
    type: ['string', 'null'],
    maxLength: 100,
    description: 'Stamped as `source` on leads the key creates',
  },
  rate_limit_per_minute: nullableInt,
  daily_quota: nullableInt,
  expires_at: { type: ['string', 'null'], format: 'date-time' },
};

export const v1ApiKeyRoutes: RouteGroup = {
  tag: 'API keys',
  description:
    "Administrators' keys for integrations (`X-API-Key`); a secret appears only in the answer that issues it.",
  routes: ({ ref }) => {
    const one = { description: 'The key', schema: dataOf(ref('ApiKey')) };
    const issued = {
      description: 'The key, with its secret in `key` (shown this once)',
      schema: dataOf({ allOf: [ref('ApiKey'), { type: 'object', properties: { key: { type: 'string' } } }] }),
    };
    return [
      {
        method: 'get',
        path: '/api/v1/api-keys',
        summary: 'List API keys',
        query: pageParams,
        responses: { 200: { description: 'Keys', schema: listOf(ref('ApiKey')) } },
      },
      {
        method: 'post',
        path: '/api/v1/api-keys',
        summary: 'Issue an API key',
        body: objectBody(writable, ['name', 'scopes']),
        responses: { 201: issued },
      },
      getOneRoute('/api/v1/api-keys/:id', 'One API key', one),
      patchRoute(
        '/api/v1/api-keys/:id',
        "Change a key's name, scopes, source code, limits or expiry",
        objectBody(writable),
        one,
      ),
      actionRoute('/api/v1/api-keys/:id/revoke', 'Stop a key for good', one),
      actionRoute('/api/v1/api-keys/:id/regenerate', 'Issue a new secret; the old one stops working', issued),
      deleteRoute('/api/v1/api-keys/:id', 'Delete a key'),
    ];
  },
};
