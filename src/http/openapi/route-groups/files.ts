import type { RouteGroup } from '../types';

const file = {
  description: 'The file',
  schema: { type: 'string', format: 'binary' },
  contentType: 'application/octet-stream',
};

export const fileRoutes: RouteGroup = {
  tag: 'Files',
  description:
    'Downloads without sign-in: public documents, and the signed links the local storage driver issues.',
  routes: () => [
    {
      method: 'get',
      path: '/files/public/:id',
      summary: "A public document's file (`is_private: false`)",
      access: 'public',
      responses: { 200: file },
    },
    {
      method: 'get',
      path: '/files/*key',
      summary: 'A signed, expiring download link (local storage driver; S3 signs its own)',
      description:
        'The link comes from `GET /api/v1/documents/{id}/download-url`; its query string carries the signature.',
      access: 'public',
      params: { key: { type: 'string', description: 'Storage key (may contain /)' } },
      responses: { 200: file },
    },
  ],
};
