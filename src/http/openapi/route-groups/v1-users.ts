import { ROLES } from '../../../context';
import { dataOf } from '../operation';
import type { RouteGroup } from '../types';

export const v1UserRoutes: RouteGroup = {
  tag: 'Users',
  description: 'Inviting people. The User records themselves have the generic routes under User.',
  routes: ({ ref }) => [
    {
      method: 'post',
      path: '/api/v1/users/invite',
      summary: 'Invite someone by email (admins); the link is valid for 7 days',
      body: {
        type: 'object',
        required: ['email', 'role'],
        properties: {
          email: { type: 'string', format: 'email' },
          role: { enum: [...ROLES] },
          first_name: { type: ['string', 'null'], maxLength: 100 },
          last_name: { type: ['string', 'null'], maxLength: 100 },
          manager_id: { type: ['string', 'null'], format: 'uuid' },
        },
        additionalProperties: false,
      },
      responses: {
        201: { description: 'The invited user', schema: dataOf(ref('User')) },
        409: { description: 'The email has an account' },
      },
    },
  ],
};
