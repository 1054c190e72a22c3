import type { RouteGroup } from '../types';

export const apiDocsRoutes: RouteGroup = {
  tag: 'Documentation',
  description: 'This document, and Swagger UI to read and try it.',
  routes: () => [
    {
      method: 'get',
      path: '/api/openapi.json',
      summary: 'The OpenAPI 3.1 document of this API',
      access: 'public',
      responses: { 200: { description: 'The document', schema: { type: 'object' } } },
    },
    {
      method: 'get',
      path: '/api/docs',
      summary: 'Swagger UI over /api/openapi.json',
      access: 'public',
      responses: {
        200: { description: 'An HTML page', schema: { type: 'string' }, contentType: 'text/html' },
      },
    },
  ],
};
