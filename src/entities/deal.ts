import { FULL, own, TEAM } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { currency, money } from './common';

export const DEAL_STAGES = [
  'prospecting',
  'qualification',
  'proposal',
  'negotiation',
  'closed_won',
  'closed_lost',
] as const;

export const Deal = defineEntity({
  name: 'Deal',
  table: 'deals',
  path: 'deals',
  description: 'A sales opportunity moving through the pipeline.',
  fields: {
    name: f.string(200).required().searchable(),
    amount: money().default(0),
    currency: currency(),
    stage: f.enum(DEAL_STAGES).default('prospecting').index(),
    probability: f.integer().min(0).max(100).default(10),
    type: f.enum(['new_business', 'existing_business', 'renewal', 'upsell']),
    expected_close_date: f.timestamp().index(),
    actual_close_date: f.timestamp(),
    account_id: f.ref('Account').index(),
    contact_id: f.ref('Contact').index(),
    lead_id: f.ref('Lead').index(),
    owner_id: f.ref('User').index(),
    next_step: f.string(255),
    lost_reason: f.string(255),
    description: f.text(),
  },
  tags: true,
  owner: ['owner_id', 'created_by'],
  policy: { admin: FULL, manager: TEAM, sales_rep: own('owner_id', false) },
});
