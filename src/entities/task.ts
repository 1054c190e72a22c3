import { FULL, own, TEAM } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { PRIORITIES, RELATED_INDEX, relatedRecord } from './common';

export const Task = defineEntity({
  name: 'Task',
  table: 'tasks',
  path: 'tasks',
  description: 'Something to do, for someone, by a date — optionally about a record.',
  fields: {
    title: f.string(200).required().searchable(),
    description: f.text(),
    status: f
      .enum(['not_started', 'in_progress', 'completed', 'deferred', 'cancelled'])
      .default('not_started')
      .index(),
    priority: f.enum(PRIORITIES).default('medium').index(),
    due_date: f.timestamp().index(),
    reminder_at: f.timestamp(),
    completed_at: f.timestamp(),
    assigned_to: f.ref('User').index(),
    ...relatedRecord(),
  },
  indexes: [RELATED_INDEX],
  owner: ['assigned_to', 'created_by'],
  policy: { admin: FULL, manager: TEAM, sales_rep: own('assigned_to'), support: own('assigned_to') },
});
