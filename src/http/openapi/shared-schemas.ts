import { IMPORT_MODES } from '../../services/import/import-jobs';
import type { JsonSchema } from './types';

const isoTime: JsonSchema = { type: 'string', format: 'date-time' };

/** Shapes shared by several route groups: the error body, list metadata, sessions, audit entries. */
export const sharedSchemas: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', examples: ['VALIDATION_FAILED'] },
          message: { type: 'string' },
          details: {
            type: 'array',
            items: {
              type: 'object',
              properties: { field: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  },
  Base44Error: {
    type: 'object',
    description: "Base44's error body, which the SDK's Base44Error reads",
    required: ['message', 'code'],
    properties: {
      message: { type: 'string' },
      detail: { type: 'string' },
      error_type: { type: 'string' },
      code: { type: 'string' },
      request_id: { type: 'string' },
      extra_data: { type: 'object' },
    },
  },
  PageMeta: {
    type: 'object',
    description:
      'Page mode; with `cursor=` the meta has `next_cursor`, `has_more` and `total` only when asked.',
    properties: {
      page: { type: 'integer' },
      limit: { type: 'integer' },
      total: {
        type: 'integer',
        description: 'How many records match; when `total_exact` is false, more than this many match',
      },
      total_exact: {
        type: 'boolean',
        description: 'False when counting stopped at the limit (see the `count` parameter)',
      },
      total_pages: { type: 'integer', description: 'A lower bound too when `total_exact` is false' },
      next_cursor: { type: ['string', 'null'] },
      has_more: { type: 'boolean' },
    },
  },
  Session: {
    type: 'object',
    required: ['access_token', 'refresh_token', 'token_type', 'expires_in', 'user'],
    properties: {
      access_token: { type: 'string', description: 'JWT for `Authorization: Bearer`' },
      refresh_token: { type: 'string', description: 'Works once, at POST /api/v1/auth/refresh-token' },
      token_type: { const: 'Bearer' },
      expires_in: { type: 'integer', description: 'Seconds until the access token expires' },
      user: { $ref: '#/components/schemas/User' },
    },
  },
  Message: {
    type: 'object',
    properties: { message: { type: 'string' } },
  },
  AuditEntry: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      entity: { type: 'string' },
      record_id: { type: 'string', format: 'uuid' },
      action: { enum: ['create', 'update', 'delete'] },
      actor_id: { type: ['string', 'null'], format: 'uuid' },
      actor_email: { type: ['string', 'null'] },
      api_key_id: { type: ['string', 'null'], format: 'uuid' },
      changes: { type: 'object' },
      created_at: isoTime,
    },
  },
  AggregateResult: {
    type: 'object',
    properties: {
      rows: { type: 'array', items: { type: 'object' } },
      truncated: { type: 'boolean' },
    },
  },
  ImportJob: {
    type: 'object',
    description:
      'A background import: `status` moves from queued to running to completed or failed; `errors` lists the first 1,000 bad rows.',
    properties: {
      id: { type: 'string', format: 'uuid' },
      entity: { type: 'string' },
      status: { enum: ['queued', 'running', 'completed', 'failed'] },
      mode: { enum: [...IMPORT_MODES] },
      format: { enum: ['csv', 'json'] },
      file_name: { type: ['string', 'null'] },
      progress: { type: 'object', properties: { processed: { type: 'integer' } } },
      counts: {
        type: 'object',
        properties: {
          processed: { type: 'integer' },
          created: { type: 'integer' },
          failed: { type: 'integer' },
        },
      },
      committed: { type: 'boolean', description: 'Whether the valid rows were kept' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            row: { type: 'integer', description: 'Position in the file, from 1 (a CSV header is row 1)' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
      ignored_columns: { type: 'array', items: { type: 'string' } },
      error: { type: ['string', 'null'], description: 'Why the job failed' },
      created_by: { type: 'string', format: 'uuid' },
      created_at: isoTime,
      started_at: { type: ['string', 'null'], format: 'date-time' },
      finished_at: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  Base44Record: {
    type: 'object',
    description:
      "A record in Base44's shape: the entity's fields plus id, created_date, updated_date, created_by (email) and created_by_id.",
    properties: {
      id: { type: 'string', format: 'uuid' },
      created_date: isoTime,
      updated_date: isoTime,
      created_by: { type: ['string', 'null'] },
      created_by_id: { type: ['string', 'null'], format: 'uuid' },
    },
    additionalProperties: true,
  },
};
