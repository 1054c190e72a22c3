import { FULL, MAINTAIN } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { postalAddress } from './common';

export const Supplier = defineEntity({
  name: 'Supplier',
  table: 'suppliers',
  path: 'suppliers',
  description: 'A vendor you buy products or services from.',
  fields: {
    name: f.string(200).required().searchable(),
    contact_name: f.string(200).searchable(),
    email: f.email().searchable(),
    phone: f.phone(),
    website: f.url(),
    category: f.string(100).index(),
    status: f.enum(['active', 'inactive', 'pending', 'blocked']).default('active').index(),
    rating: f.integer().min(1).max(5),
    payment_terms: f.string(100),
    tax_id: f.string(50),
    ...postalAddress(),
    notes: f.text(),
  },
  tags: true,
  defaultSort: 'name',
  policy: { admin: FULL, manager: MAINTAIN },
});
