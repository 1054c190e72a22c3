import { intakeFormCreateSchema, intakeFormUpdateSchema } from '../../../services/intake/intake-forms';
import { FORM_FIELDS } from '../../../services/intake/lead-intake';
import { joiToJsonSchema } from '../joi-schema';
import { dataOf, listOf } from '../operation';
import { pageParams } from '../query-params';
import { actionRoute, deleteRoute, figures, getOneRoute, patchRoute } from '../route-docs';
import type { JsonSchema, RouteGroup } from '../types';

const formPost: JsonSchema = {
  type: 'object',
  description:
    "The lead's fields (strings or numbers; empty ones are skipped, others dropped), the form key unless sent as a header or `?key=`, and the form's honeypot field, which people leave empty.",
  properties: {
    form_key: { type: 'string' },
    ...Object.fromEntries(FORM_FIELDS.map((f) => [f, { type: ['string', 'number'] }])),
  },
  additionalProperties: true,
};

const count = { type: 'integer' };
const rate = { type: 'number', minimum: 0, maximum: 1 };

/** /api/v1/intake, /api/v1/spam and /api/v1/analytics/intake: leads from outside, and what screening held. */
export const v1IntakeRoutes: RouteGroup = {
  tag: 'Lead intake',
  description:
    'Leads from web forms and vendors are screened for spam (duplicates, bursts, disposable addresses, honeypots). Clean ones become leads; spam is held for a manager or admin to release or delete. Vendors post to `POST /api/v1/leads` with their API key.',
  routes: ({ ref }) => {
    const intakeForm = ref('IntakeForm');
    const screening = ref('LeadScreening');
    const form = { description: 'The form', schema: dataOf(intakeForm) };
    const held = { description: 'The held submission', schema: dataOf(screening) };
    return [
      {
        method: 'post',
        path: '/api/v1/leads',
        amends: true,
        summary: 'A lead from a vendor',
        description:
          "With an API key the lead is screened for spam first (the key's scopes and `source_code` apply as on any create): 201 with the lead when clean, 202 with the screening when held. Signed-in users' creates are not screened.",
        responses: {
          202: {
            description: 'Held as spam (API keys only): a manager or admin may release it',
            schema: dataOf({
              type: 'object',
              properties: { status: { const: 'held_as_spam' }, screening },
            }),
          },
        },
      },
      {
        method: 'post',
        path: '/api/v1/intake/leads',
        summary: "A web form's lead, with the form's key (any origin; no credentials)",
        description:
          "The answer is the same whether the lead was created or held as spam, so bots learn nothing. The lead is created as the form's creator, with the form's source and assignee.",
        access: 'public',
        query: [
          {
            name: 'key',
            description: 'The form key, if neither header nor body carries it',
            schema: { type: 'string' },
          },
          { name: 'X-Intake-Key', in: 'header', description: 'The form key', schema: { type: 'string' } },
        ],
        body: { content: { 'application/json': formPost, 'application/x-www-form-urlencoded': formPost } },
        responses: {
          202: {
            description: 'Received',
            schema: dataOf({ type: 'object', properties: { status: { const: 'received' } } }),
          },
          401: { description: 'No form key' },
          404: { description: 'No active form has this key, or its owner account is closed' },
          429: { description: 'Too many requests: retry after `Retry-After` seconds' },
        },
      },
      {
        method: 'get',
        path: '/api/v1/intake/forms',
        summary: "The organization's intake forms (admins)",
        responses: { 200: { description: 'Forms', schema: dataOf({ type: 'array', items: intakeForm }) } },
      },
      {
        method: 'post',
        path: '/api/v1/intake/forms',
        summary: 'Create an intake form with a fresh key (admins)',
        body: joiToJsonSchema(intakeFormCreateSchema),
        responses: {
          201: form,
          404: { description: '`assign_to` is not an active user of the organization' },
        },
      },
      getOneRoute('/api/v1/intake/forms/:id', 'One intake form (admins)', form),
      patchRoute(
        '/api/v1/intake/forms/:id',
        'Change an intake form (admins)',
        joiToJsonSchema(intakeFormUpdateSchema),
        form,
        { 404: { description: 'No such form, or `assign_to` is not an active user of the organization' } },
      ),
      actionRoute(
        '/api/v1/intake/forms/:id/rotate-key',
        'Give a form a new key; the old one stops working at once (admins)',
        form,
      ),
      deleteRoute('/api/v1/intake/forms/:id', 'Delete an intake form (admins)'),
      {
        method: 'get',
        path: '/api/v1/spam/leads',
        summary: 'Submissions held as spam, newest first (managers and admins)',
        query: pageParams,
        responses: { 200: { description: 'Held submissions', schema: listOf(screening) } },
      },
      getOneRoute(
        '/api/v1/spam/leads/:id',
        'One held submission, with its score and reasons (managers and admins)',
        held,
      ),
      {
        method: 'post',
        path: '/api/v1/spam/leads/:id/release',
        summary: 'Release a held submission: it becomes a lead, created as the caller (managers and admins)',
        responses: {
          201: {
            description: 'The lead, and the released screening in `meta`',
            schema: {
              type: 'object',
              properties: {
                data: ref('Lead'),
                meta: { type: 'object', properties: { screening } },
              },
            },
          },
        },
      },
      deleteRoute('/api/v1/spam/leads/:id', 'Delete a held submission (managers and admins)'),
      {
        method: 'get',
        path: '/api/v1/analytics/intake',
        summary: 'Daily intake volume, spam rate and the top spam reasons (managers and admins)',
        description: 'Days are UTC, today included; released submissions count as spam.',
        query: [
          {
            name: 'days',
            description: 'How many days back (default 30)',
            schema: { type: 'integer', minimum: 1, maximum: 366, default: 30 },
          },
        ],
        responses: {
          200: figures({
            days: count,
            total: count,
            spam: count,
            clean: count,
            spam_rate: rate,
            daily: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  date: { type: 'string', format: 'date' },
                  total: count,
                  spam: count,
                  clean: count,
                  spam_rate: rate,
                },
              },
            },
            top_reasons: {
              type: 'array',
              maxItems: 10,
              items: { type: 'object', properties: { reason: { type: 'string' }, count } },
            },
          }),
        },
      },
    ];
  },
};
