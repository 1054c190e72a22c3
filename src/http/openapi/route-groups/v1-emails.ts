import { TEMPLATE_NAMES } from '../../../services/mail/templates';
import { dataOf } from '../operation';
import type { RouteGroup } from '../types';

const recipients = {
  anyOf: [
    { type: 'string', format: 'email' },
    { type: 'array', items: { type: 'string', format: 'email' } },
  ],
};

export const v1EmailRoutes: RouteGroup = {
  tag: 'Email',
  description:
    'Sending mail. Every message is an Email record (generic routes under Email) that goes queued → sent or failed.',
  routes: ({ ref }) => [
    {
      method: 'post',
      path: '/api/v1/emails/send',
      summary: 'Send an email, written or from a template',
      body: {
        type: 'object',
        required: ['to'],
        properties: {
          to: recipients,
          cc: recipients,
          bcc: recipients,
          reply_to: { type: 'string', format: 'email' },
          subject: { type: 'string' },
          html: { type: 'string' },
          text: { type: 'string' },
          template: { enum: [...TEMPLATE_NAMES] },
          data: { type: 'object', description: "The template's values" },
          related_type: { type: 'string' },
          related_id: { type: 'string', format: 'uuid' },
        },
      },
      responses: {
        201: { description: 'The Email record', schema: dataOf(ref('Email')) },
        502: { description: 'The mail provider refused the message' },
        503: { description: 'The mail provider could not be reached' },
      },
    },
  ],
};
