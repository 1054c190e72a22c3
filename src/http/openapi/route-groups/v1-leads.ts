import { dataOf } from '../operation';
import { listParams } from '../query-params';
import { figures } from '../route-docs';
import type { RouteGroup } from '../types';

const counts = { type: 'object', additionalProperties: { type: 'integer' } };

export const v1LeadRoutes: RouteGroup = {
  tag: 'Leads',
  description: 'Lead actions beyond the generic routes (which are under Lead).',
  routes: ({ ref }) => [
    {
      method: 'get',
      path: '/api/v1/leads/stats',
      summary:
        'Counts by status and source, conversion rate and average score of the leads the caller reaches',
      description: 'Takes the list filters (field parameters and `filter=`).',
      query: listParams.filter((p) => ['filter', 'search'].includes(p.name)),
      responses: {
        200: figures({
          total: { type: 'integer' },
          by_status: counts,
          by_source: counts,
          converted: { type: 'integer' },
          conversion_rate: { type: 'number' },
          average_score: { type: ['number', 'null'] },
        }),
      },
    },
    {
      method: 'post',
      path: '/api/v1/leads/:id/assign',
      summary: 'Assign a lead to a user (managers within their team, admins); the assignee is emailed',
      body: {
        type: 'object',
        required: ['user_id'],
        properties: { user_id: { type: 'string', format: 'uuid' } },
        additionalProperties: false,
      },
      responses: { 200: { description: 'The lead', schema: dataOf(ref('Lead')) } },
    },
    {
      method: 'post',
      path: '/api/v1/leads/:id/convert',
      summary: 'Convert a lead, in one transaction, into a contact, an account and optionally a deal',
      body: {
        type: 'object',
        properties: {
          account_id: { type: 'string', format: 'uuid' },
          create_deal: { type: 'boolean', default: false },
          deal: {
            type: 'object',
            properties: {
              name: { type: 'string', maxLength: 200 },
              amount: { type: 'number', minimum: 0 },
              stage: { type: 'string' },
              expected_close_date: { type: 'string', format: 'date-time' },
            },
          },
        },
        additionalProperties: false,
      },
      responses: {
        201: {
          description: 'What the conversion made',
          schema: dataOf({
            type: 'object',
            properties: {
              lead: ref('Lead'),
              contact: ref('Contact'),
              account: { anyOf: [ref('Account'), { type: 'null' }] },
              deal: { anyOf: [ref('Deal'), { type: 'null' }] },
            },
          }),
        },
        409: { description: 'Already converted' },
      },
    },
  ],
};
