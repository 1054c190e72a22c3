import Joi from 'joi';
import { ValidationError } from '../errors';
import { FULL, own, TEAM } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { RELATED_INDEX, relatedRecord } from './common';

const attendee = Joi.object({
  email: Joi.string().email({ tlds: false }).max(255),
  name: Joi.string().max(200),
  user_id: Joi.string().guid(),
  contact_id: Joi.string().guid(),
  response: Joi.string().valid('pending', 'accepted', 'declined', 'tentative').default('pending'),
}).or('email', 'user_id', 'contact_id');

export const Meeting = defineEntity({
  name: 'Meeting',
  table: 'meetings',
  path: 'meetings',
  description: 'A scheduled conversation, in person or online.',
  fields: {
    title: f.string(200).required().searchable(),
    description: f.text(),
    start_time: f.timestamp().required().index(),
    end_time: f.timestamp(),
    all_day: f.boolean().default(false),
    location: f.string(255),
    meeting_url: f.url(),
    status: f.enum(['scheduled', 'completed', 'cancelled', 'no_show']).default('scheduled').index(),
    attendees: f.json(Joi.array().items(attendee).max(200)).default([]),
    outcome: f.text(),
    organizer_id: f.ref('User').index(),
    ...relatedRecord(),
  },
  indexes: [RELATED_INDEX],
  owner: ['organizer_id', 'created_by'],
  defaultSort: '-start_time',
  policy: { admin: FULL, manager: TEAM, sales_rep: own('organizer_id'), support: own('organizer_id') },
  hooks: {
    beforeWrite(values, { existing }) {
      const start = (values.start_time ?? existing?.start_time) as Date | undefined;
      const end = (values.end_time === undefined ? existing?.end_time : values.end_time) as
        Date | null | undefined;
      if (start && end && end < start) {
        throw new ValidationError('A meeting cannot end before it starts', [
          { field: 'end_time', message: 'end_time must be after start_time' },
        ]);
      }
      return values;
    },
  },
});
