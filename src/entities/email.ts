import { FULL, own } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { RELATED_INDEX, relatedRecord } from './common';

export const EMAIL_STATUSES = ['draft', 'queued', 'sending', 'sent', 'failed', 'received'] as const;

export const Email = defineEntity({
  name: 'Email',
  table: 'emails',
  path: 'emails',
  description: 'A message sent or received, with its delivery status.',
  fields: {
    to: f.emailList().required(),
    cc: f.emailList().default([]),
    bcc: f.emailList().default([]),
    from_address: f.email(),
    from_name: f.string(200),
    reply_to: f.email(),
    subject: f.string(255).required().searchable(),
    body_html: f.text(),
    body_text: f.text().searchable(),
    template: f.string(100).index(),
    template_data: f.json<Record<string, unknown>>().default({}),
    direction: f.enum(['outbound', 'inbound']).default('outbound'),
    status: f.enum(EMAIL_STATUSES).default('draft').index(),
    provider: f.string(50),
    provider_message_id: f.string(255).index(),
    error: f.text(),
    attempts: f.integer().min(0).default(0),
    sent_at: f.timestamp().index(),
    opened_at: f.timestamp(),
    ...relatedRecord(),
  },
  indexes: [RELATED_INDEX],
  policy: {
    admin: FULL,
    manager: { read: 'team', create: true, update: 'team' },
    sales_rep: own(null, false),
    support: own(null, false),
  },
});
