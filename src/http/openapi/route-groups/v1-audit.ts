import { listOf } from '../operation';
import { pageParams } from '../query-params';
import type { RouteGroup } from '../types';

const uuid = { type: 'string', format: 'uuid' };
const time = { type: 'string', format: 'date-time' };

export const v1AuditRoutes: RouteGroup = {
  tag: 'Audit',
  description: 'Every change in the organization, newest first, for administrators.',
  routes: ({ ref, registry }) => [
    {
      method: 'get',
      path: '/api/v1/audit',
      summary: 'The audit log',
      query: [
        ...pageParams,
        {
          name: 'offset',
          description: 'Entries to skip, instead of `page`',
          schema: { type: 'integer', minimum: 0 },
        },
        {
          name: 'entity',
          description: 'Only this entity',
          schema: { enum: registry.all().map((rt) => rt.decl.name) },
        },
        { name: 'record_id', description: 'Only this record', schema: uuid },
        { name: 'actor_id', description: 'Only changes by this user', schema: uuid },
        {
          name: 'action',
          description: 'Only this kind of change',
          schema: { enum: ['create', 'update', 'delete'] },
        },
        { name: 'from', description: 'From this time', schema: time },
        { name: 'to', description: 'Until this time', schema: time },
      ],
      responses: { 200: { description: 'Entries', schema: listOf(ref('AuditEntry')) } },
    },
  ],
};
