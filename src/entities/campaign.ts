import { FULL, READ_ONLY } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { money } from './common';

export const Campaign = defineEntity({
  name: 'Campaign',
  table: 'campaigns',
  path: 'campaigns',
  description: 'A marketing effort with a budget, a period and measurable results.',
  fields: {
    name: f.string(200).required().searchable(),
    type: f
      .enum(['email', 'social_media', 'webinar', 'event', 'advertisement', 'content', 'referral', 'other'])
      .default('email')
      .index(),
    status: f.enum(['planned', 'active', 'paused', 'completed', 'cancelled']).default('planned').index(),
    start_date: f.timestamp().index(),
    end_date: f.timestamp(),
    budget: money(),
    actual_cost: money(),
    expected_revenue: money(),
    target_audience: f.text(),
    description: f.text(),
    utm_source: f.string(100),
    utm_medium: f.string(100),
    utm_campaign: f.string(100),
    sent_count: f.integer().min(0).default(0),
    open_count: f.integer().min(0).default(0),
    click_count: f.integer().min(0).default(0),
    conversion_count: f.integer().min(0).default(0),
    owner_id: f.ref('User').index(),
  },
  tags: true,
  owner: ['owner_id', 'created_by'],
  policy: { admin: FULL, manager: FULL, sales_rep: READ_ONLY },
});
