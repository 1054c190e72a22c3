import { dataOf } from '../operation';
import type { RouteGroup } from '../types';

const text = { type: 'string' };

export const v1DocumentRoutes: RouteGroup = {
  tag: 'Documents',
  description:
    'Files attached to records. The Document records themselves have the generic routes under Document.',
  routes: ({ ref }) => [
    {
      method: 'post',
      path: '/api/v1/documents/upload',
      summary: 'Upload a file as a Document',
      description:
        'The type is sniffed from the content (UPLOAD_ALLOWED_TYPES, else 415), the size checked (UPLOAD_MAX_BYTES, else 413).',
      body: {
        multipart: {
          type: 'object',
          required: ['file'],
          properties: {
            file: { type: 'string', format: 'binary' },
            name: text,
            description: text,
            category: text,
            related_type: text,
            related_id: { type: 'string', format: 'uuid' },
            is_private: { type: 'boolean', default: true },
          },
        },
      },
      responses: {
        201: { description: 'The document', schema: dataOf(ref('Document')) },
        413: { description: 'Too large' },
        415: { description: 'Type not allowed' },
      },
    },
    {
      method: 'get',
      path: '/api/v1/documents/recent',
      summary: 'The newest documents',
      query: [
        {
          name: 'limit',
          description: 'How many (default 10)',
          schema: { type: 'integer', minimum: 1, maximum: 100 },
        },
      ],
      responses: {
        200: { description: 'Documents', schema: dataOf({ type: 'array', items: ref('Document') }) },
      },
    },
    {
      method: 'get',
      path: '/api/v1/documents/:id/download-url',
      summary: 'A link that downloads the file without sign-in, for SIGNED_URL_TTL_SECONDS',
      responses: {
        200: {
          description: 'The link',
          schema: dataOf({
            type: 'object',
            properties: {
              url: { type: 'string', format: 'uri' },
              expires_at: { type: 'string', format: 'date-time' },
            },
          }),
        },
      },
    },
    {
      method: 'get',
      path: '/api/v1/documents/:id/download',
      summary: 'Stream the file',
      responses: {
        200: {
          description: 'The file',
          schema: { type: 'string', format: 'binary' },
          contentType: 'application/octet-stream',
        },
      },
    },
  ],
};
