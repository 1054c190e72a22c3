import { FULL, READ_ONLY } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { postalAddress } from './common';

export const Account = defineEntity({
  name: 'Account',
  table: 'accounts',
  path: 'accounts',
  description: 'A company you do business with.',
  fields: {
    name: f.string(200).required().searchable().index(),
    type: f
      .enum(['prospect', 'customer', 'partner', 'vendor', 'competitor', 'other'])
      .default('prospect')
      .index(),
    industry: f.string(100).index(),
    website: f.url().searchable(),
    phone: f.phone(),
    email: f.email().searchable(),
    annual_revenue: f.decimal(15, 2).min(0),
    employees: f.integer().min(0),
    rating: f.enum(['hot', 'warm', 'cold']),
    ...postalAddress(),
    description: f.text(),
    parent_account_id: f.ref('Account').index(),
    owner_id: f.ref('User').index(),
  },
  tags: true,
  owner: ['owner_id', 'created_by'],
  defaultSort: 'name',
  policy: {
    admin: FULL,
    manager: { read: 'all', create: true, update: 'team', delete: 'team' },
    sales_rep: { read: 'all', create: true, update: 'own', unwritable: ['owner_id'] },
    support: READ_ONLY,
  },
});
