import { FULL, own, TEAM } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { RELATED_INDEX, relatedRecord } from './common';

export const Call = defineEntity({
  name: 'Call',
  table: 'calls',
  path: 'calls',
  description: 'A phone call made or received, with its outcome.',
  fields: {
    subject: f.string(200).required().searchable(),
    direction: f.enum(['inbound', 'outbound']).default('outbound').index(),
    status: f
      .enum(['scheduled', 'completed', 'no_answer', 'busy', 'failed', 'cancelled'])
      .default('completed')
      .index(),
    outcome: f.enum(['interested', 'not_interested', 'callback', 'voicemail', 'wrong_number', 'other']),
    phone_number: f.phone(),
    call_time: f.timestamp().defaultNow().index(),
    duration_seconds: f.integer().min(0),
    recording_url: f.url(),
    notes: f.text(),
    user_id: f.ref('User').index(),
    ...relatedRecord(),
  },
  indexes: [RELATED_INDEX],
  owner: ['user_id', 'created_by'],
  defaultSort: '-call_time',
  policy: { admin: FULL, manager: TEAM, sales_rep: own('user_id'), support: own('user_id') },
});
