import { FULL, own, TEAM } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { RELATED_INDEX, relatedRecord } from './common';

export const Activity = defineEntity({
  name: 'Activity',
  table: 'activities',
  path: 'activities',
  description: 'An entry in a record’s history: a note, a touchpoint, a change.',
  fields: {
    type: f.enum(['note', 'call', 'email', 'meeting', 'task', 'status_change', 'other']).required().index(),
    subject: f.string(255).required().searchable(),
    description: f.text().searchable(),
    occurred_at: f.timestamp().defaultNow().index(),
    duration_minutes: f.integer().min(0),
    outcome: f.string(255),
    user_id: f.ref('User').index(),
    ...relatedRecord(),
  },
  indexes: [RELATED_INDEX],
  owner: ['user_id', 'created_by'],
  defaultSort: '-occurred_at',
  policy: { admin: FULL, manager: TEAM, sales_rep: own('user_id'), support: own('user_id', false) },
});
