import { dataOf, listOf } from '../operation';
import { pageParams } from '../query-params';
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
        body: {
          type: 'object',
          properties: writable,
          required: ['name', 'scopes'],
          additionalProperties: false,
        },
        responses: { 201: issued },
      },
      { method: 'get', path: '/api/v1/api-keys/:id', summary: 'One API key', responses: { 200: one } },
      {
        method: 'patch',
        path: '/api/v1/api-keys/:id',
        summary: "Change a key's name, scopes, source code, limits or expiry",
        body: { type: 'object', properties: writable, additionalProperties: false },
        responses: { 200: one },
      },
      {
        method: 'post',
        path: '/api/v1/api-keys/:id/revoke',
        summary: 'Stop a key for good',
        responses: { 200: one },
      },
      {
        method: 'post',
        path: '/api/v1/api-keys/:id/regenerate',
        summary: 'Issue a new secret; the old one stops working',
        responses: { 200: issued },
      },
      {
        method: 'delete',
        path: '/api/v1/api-keys/:id',
        summary: 'Delete a key',
        responses: { 204: { description: 'Deleted' } },
      },
    ];
  },
};
