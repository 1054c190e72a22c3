import { FULL, TEAM, own } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { postalAddress } from './common';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'unqualified', 'converted', 'lost'] as const;

export const Lead = defineEntity({
  name: 'Lead',
  table: 'leads',
  path: 'leads',
  description: 'A person or company that may become a customer.',
  fields: {
    first_name: f.string(100).searchable(),
    last_name: f.string(100).searchable(),
    email: f.email().required().searchable().index(),
    phone: f.phone().searchable(),
    company: f.string(200).searchable(),
    title: f.string(100),
    source: f.string(100).default('website').index(),
    status: f.enum(LEAD_STATUSES).default('new'),
    lead_score: f.integer().min(0).max(100).default(0).index(),
    industry: f.string(100),
    annual_revenue: f.decimal(15, 2).min(0),
    employees: f.integer().min(0),
    website: f.url(),
    ...postalAddress(),
    notes: f.text(),
    assigned_to: f.ref('User'),
    converted_date: f.timestamp(),
    last_contact_date: f.timestamp(),
    converted_contact_id: f.ref('Contact').readOnly(),
    converted_account_id: f.ref('Account').readOnly(),
    converted_deal_id: f.ref('Deal').readOnly(),
  },
  // The everyday listing — one status, newest first — reads 25 index entries instead of sorting the status;
  // led by the status, it also serves every filter on the status alone (no separate status index to maintain).
  // A sales rep lists the leads assigned to them or created by them: one index per owner field gives each its
  // page in order, and holding the organization lets the bounded count read the index alone (the indexes, led
  // by references, serve the foreign keys' lookups too).
  indexes: [
    ['status', 'created_at', 'id'],
    ['assigned_to', 'organization_id', 'status', 'created_at', 'id'],
    ['created_by', 'organization_id', 'status', 'created_at', 'id'],
  ],
  tags: true,
  owner: ['assigned_to', 'created_by'],
  sourceField: 'source',
  screenApiKeyCreates: true,
  policy: { admin: FULL, manager: TEAM, sales_rep: own('assigned_to', false) },
});
