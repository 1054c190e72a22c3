import { FULL, MAINTAIN, own } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { money, postalAddress } from './common';

export const Customer = defineEntity({
  name: 'Customer',
  table: 'customers',
  path: 'customers',
  description: 'Someone who buys from you: places orders, receives invoices, opens tickets.',
  fields: {
    first_name: f.string(100).searchable(),
    last_name: f.string(100).searchable(),
    company: f.string(200).searchable(),
    email: f.email().required().searchable().unique(),
    phone: f.phone().searchable(),
    customer_type: f.enum(['individual', 'business']).default('individual'),
    status: f.enum(['active', 'inactive', 'churned']).default('active').index(),
    lifetime_value: money().default(0),
    ...postalAddress(),
    notes: f.text(),
    account_id: f.ref('Account').index(),
    contact_id: f.ref('Contact').index(),
    account_manager_id: f.ref('User').index(),
  },
  tags: true,
  owner: ['account_manager_id', 'created_by'],
  policy: {
    admin: FULL,
    manager: MAINTAIN,
    support: MAINTAIN,
    sales_rep: own('account_manager_id', false),
  },
});
