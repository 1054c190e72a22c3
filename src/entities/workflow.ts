import Joi from 'joi';
import { FULL, READ_ONLY } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';

const action = Joi.object({
  type: Joi.string()
    .valid('send_email', 'create_task', 'update_field', 'assign_owner', 'notify_user', 'webhook')
    .required(),
  config: Joi.object().unknown(true).default({}),
});

export const Workflow = defineEntity({
  name: 'Workflow',
  table: 'workflows',
  path: 'workflows',
  description: 'An automation rule: when something happens to a kind of record, do these actions.',
  fields: {
    name: f.string(200).required().searchable(),
    description: f.text(),
    entity_type: f.relatedType().required().index(),
    trigger: f
      .enum(['record_created', 'record_updated', 'record_deleted', 'field_changed', 'scheduled', 'manual'])
      .required(),
    conditions: f.json<Record<string, unknown>>(Joi.object().unknown(true)).default({}),
    actions: f.json(Joi.array().items(action).max(50)).default([]),
    schedule: f.string(100).describe('Cron expression, for scheduled workflows'),
    is_active: f.boolean().default(true).index(),
    last_run_at: f.timestamp().readOnly(),
    run_count: f.integer().min(0).default(0).readOnly(),
  },
  defaultSort: 'name',
  policy: { admin: FULL, manager: READ_ONLY },
});
