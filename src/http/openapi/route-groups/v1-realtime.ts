import type { RouteGroup } from '../types';

export const v1RealtimeRoutes: RouteGroup = {
  tag: 'Realtime',
  description: 'Committed changes the caller may read, as they happen.',
  routes: () => [
    {
      method: 'get',
      path: '/api/v1/realtime',
      summary: 'Server-Sent Events of record changes',
      description:
        'Events: `ready` once, `change` `{entity, type, id, data, timestamp}` per create, update or delete, and `end` with the reason when the server ends the stream. EventSource cannot send headers, so the access token may come as `access_token`.',
      access: 'signed-in',
      query: [
        {
          name: 'entities',
          description: 'Entity names, comma separated: `Lead,Deal`',
          schema: { type: 'string' },
        },
        {
          name: 'access_token',
          description: 'The access token, for clients that cannot send headers',
          schema: { type: 'string' },
        },
      ],
      responses: {
        200: { description: 'An event stream', schema: { type: 'string' }, contentType: 'text/event-stream' },
      },
    },
  ],
};
