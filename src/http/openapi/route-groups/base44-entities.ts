import type { JsonSchema, QueryParam, RouteDoc, RouteGroup } from '../types';

const record: JsonSchema = { $ref: '#/components/schemas/Base44Record' };
const records: JsonSchema = { type: 'array', items: record };
const q: QueryParam = {
  name: 'q',
  description: 'A JSON filter in MongoDB style, with Base44 field names (`created_date`, …)',
  schema: { type: 'string' },
};
const sort: QueryParam = { name: 'sort', description: '`-created_date`, `name`', schema: { type: 'string' } };
const fields: QueryParam = {
  name: 'fields',
  description: 'Only these fields, comma separated',
  schema: { type: 'string' },
};
const done = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties: { success: { type: 'boolean' }, ...properties },
});

/**
 * The Base44 wire surface `@base44/sdk` calls: bare records and arrays, Base44's error body, the same
 * permissions as /api/v1. `{entity}` is an entity name (`Lead`).
 */
export const base44EntityRoutes: RouteGroup = {
  tag: 'Base44',
  description:
    'The surface the official `@base44/sdk` calls (`createClient({ serverUrl, appId })`). Undeclared fields in writes are dropped.',
  errors: { schema: 'Base44Error', validationStatus: 422 },
  routes: ({ registry }) => {
    const params = { entity: { enum: registry.all().map((rt) => rt.decl.name) }, appId: { type: 'string' } };
    const base = '/api/apps/:appId/entities/:entity';
    const route = (r: Omit<RouteDoc, 'params'>): RouteDoc => ({ ...r, params });
    return [
      route({
        method: 'get',
        path: base,
        summary: 'List records (up to 5,000 per call)',
        query: [
          q,
          sort,
          {
            name: 'limit',
            description: 'Up to 5000',
            schema: { type: 'integer', minimum: 0, maximum: 5000 },
          },
          { name: 'skip', description: 'Records to skip', schema: { type: 'integer', minimum: 0 } },
          fields,
        ],
        responses: { 200: { description: 'Records', schema: records } },
      }),
      route({
        method: 'get',
        path: `${base}/v2/list`,
        summary: 'A page of records by cursor, or of distinct values of one field',
        query: [
          q,
          sort,
          fields,
          {
            name: 'limit',
            description: 'Page size (default 100)',
            schema: { type: 'integer', minimum: 0, maximum: 5000 },
          },
          { name: 'cursor', description: '`next_cursor` of the previous page', schema: { type: 'string' } },
          {
            name: 'distinct',
            description: 'A field: page through its distinct values instead',
            schema: { type: 'string' },
          },
        ],
        responses: {
          200: {
            description: 'A page',
            schema: {
              type: 'object',
              properties: {
                items: { type: 'array' },
                next_cursor: { type: ['string', 'null'] },
                has_more: { type: 'boolean' },
              },
            },
          },
        },
      }),
      route({
        method: 'get',
        path: `${base}/count`,
        summary: 'Count records',
        query: [q],
        responses: {
          200: {
            description: 'The count',
            schema: { type: 'object', properties: { count: { type: 'integer' } } },
          },
        },
      }),
      route({
        method: 'post',
        path: `${base}/aggregate`,
        summary: 'Group and measure records in the database',
        body: { $ref: '#/components/schemas/AggregateRequest' },
        responses: {
          200: { description: 'Groups', schema: { $ref: '#/components/schemas/AggregateResult' } },
        },
      }),
      route({
        method: 'post',
        path: `${base}/bulk`,
        summary: 'Create several records in one transaction',
        body: records,
        responses: { 200: { description: 'The records', schema: records } },
      }),
      route({
        method: 'put',
        path: `${base}/bulk`,
        summary: 'Update several records (each with its id) in one transaction',
        body: records,
        responses: { 200: { description: 'The records', schema: records } },
      }),
      route({
        method: 'patch',
        path: `${base}/update-many`,
        summary: 'Update the records a query matches, with update operators',
        body: {
          type: 'object',
          required: ['query', 'data'],
          properties: { query: { type: 'object' }, data: { type: 'object' } },
        },
        responses: {
          200: {
            description: 'How many',
            schema: done({ updated: { type: 'integer' }, has_more: { type: 'boolean' } }),
          },
        },
      }),
      route({
        method: 'post',
        path: `${base}/upsert`,
        summary: 'Create or update records by a key field',
        body: { type: 'object', required: ['records'], properties: { records, key: { type: 'string' } } },
        responses: {
          200: {
            description: 'What happened',
            schema: {
              type: 'object',
              properties: { created: { type: 'integer' }, updated: { type: 'integer' }, records },
            },
          },
        },
      }),
      route({
        method: 'post',
        path: `${base}/import`,
        summary: 'Import records from a CSV, Excel or JSON file: all rows, or none',
        body: {
          multipart: {
            type: 'object',
            required: ['file'],
            properties: { file: { type: 'string', format: 'binary' } },
          },
        },
        responses: {
          200: {
            description: 'The import report',
            schema: {
              type: 'object',
              properties: { status: { enum: ['success', 'error'] }, details: {}, output: {} },
            },
          },
        },
      }),
      route({
        method: 'delete',
        path: base,
        summary: 'Delete the records a query (the body) matches',
        body: { type: 'object', description: 'A filter' },
        responses: { 200: { description: 'How many', schema: done({ deleted: { type: 'integer' } }) } },
      }),
      route({
        method: 'get',
        path: `${base}/:id`,
        summary: 'One record',
        responses: { 200: { description: 'The record', schema: record } },
      }),
      route({
        method: 'put',
        path: `${base}/:id`,
        summary: 'Update a record (merges the fields sent)',
        body: record,
        responses: { 200: { description: 'The record', schema: record } },
      }),
      route({
        method: 'delete',
        path: `${base}/:id`,
        summary: 'Delete a record',
        responses: { 200: { description: 'Deleted', schema: done({}) } },
      }),
      route({
        method: 'post',
        path: base,
        summary: 'Create a record',
        body: record,
        responses: { 200: { description: 'The record', schema: record } },
      }),
    ];
  },
};
