import { FULL, own, READ_ONLY, TEAM } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { postalAddress } from './common';

export const Contact = defineEntity({
  name: 'Contact',
  table: 'contacts',
  path: 'contacts',
  description: 'A person, usually working at an account.',
  fields: {
    first_name: f.string(100).required().searchable(),
    last_name: f.string(100).searchable().index(),
    email: f.email().searchable().index(),
    phone: f.phone().searchable(),
    mobile: f.phone(),
    title: f.string(100),
    department: f.string(100),
    account_id: f.ref('Account').index(),
    status: f.enum(['active', 'inactive']).default('active').index(),
    lead_source: f.string(100),
    linkedin_url: f.url(),
    email_opt_out: f.boolean().default(false),
    ...postalAddress(),
    notes: f.text(),
    last_contacted_at: f.timestamp(),
    owner_id: f.ref('User').index(),
  },
  tags: true,
  owner: ['owner_id', 'created_by'],
  sourceField: 'lead_source',
  policy: { admin: FULL, manager: TEAM, sales_rep: own('owner_id', false), support: READ_ONLY },
});
