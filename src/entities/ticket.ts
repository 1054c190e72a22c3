import { FULL, MAINTAIN, own } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { PRIORITIES } from './common';
import { recordNumber } from './money-math';

const DONE = ['resolved', 'closed'];

export const Ticket = defineEntity({
  name: 'Ticket',
  table: 'tickets',
  path: 'tickets',
  description: 'A support request from a customer or contact, worked until resolved.',
  fields: {
    ticket_number: f.string(50).searchable().unique(),
    subject: f.string(255).required().searchable(),
    description: f.text().searchable(),
    status: f
      .enum(['open', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'])
      .default('open')
      .index(),
    priority: f.enum(PRIORITIES).default('medium').index(),
    category: f
      .enum(['question', 'problem', 'incident', 'feature_request', 'billing', 'other'])
      .default('question')
      .index(),
    channel: f.enum(['email', 'phone', 'web', 'chat', 'social']).default('web'),
    customer_id: f.ref('Customer').index(),
    contact_id: f.ref('Contact').index(),
    account_id: f.ref('Account').index(),
    assigned_to: f.ref('User').index(),
    due_date: f.timestamp().index(),
    resolved_at: f.timestamp(),
    resolution: f.text(),
    satisfaction_rating: f.integer().min(1).max(5),
  },
  tags: true,
  owner: ['assigned_to', 'created_by'],
  policy: { admin: FULL, manager: MAINTAIN, support: MAINTAIN, sales_rep: own('assigned_to', false) },
  hooks: {
    beforeWrite(values, { existing }) {
      const next = { ...values };
      if (!existing) next.ticket_number ??= recordNumber('TCK');
      const status = (next.status ?? existing?.status) as string;
      const resolvedAt = next.resolved_at === undefined ? existing?.resolved_at : next.resolved_at;
      if (DONE.includes(status) && !resolvedAt) next.resolved_at = new Date();
      if (next.status !== undefined && !DONE.includes(status) && existing?.resolved_at)
        next.resolved_at = null;
      return next;
    },
  },
});
