import type { RouteGroup } from '../types';

const status = (values: string[]) => ({
  type: 'object',
  properties: { status: { enum: values }, problems: { type: 'array', items: { type: 'string' } } },
});

export const healthRoutes: RouteGroup = {
  tag: 'Health',
  description: 'Probes for load balancers and orchestrators; no credentials, no rate limit.',
  routes: () => [
    {
      method: 'get',
      path: '/health',
      summary: 'Liveness: the process answers',
      access: 'public',
      responses: { 200: { description: 'Alive', schema: status(['ok']) } },
    },
    {
      method: 'get',
      path: '/health/ready',
      summary: 'Readiness: the database answers, every migration is applied, not shutting down',
      access: 'public',
      responses: {
        200: { description: 'Ready', schema: status(['ready']) },
        503: { description: 'Not ready, with the reasons', schema: status(['unavailable']) },
      },
    },
  ],
};
