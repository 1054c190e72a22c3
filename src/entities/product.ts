import { FULL, READ_ONLY } from './policies';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';
import { currency, money } from './common';

export const Product = defineEntity({
  name: 'Product',
  table: 'products',
  path: 'products',
  description: 'Something you sell, with its price.',
  fields: {
    name: f.string(200).required().searchable(),
    sku: f.string(100).searchable().unique(),
    description: f.text(),
    category: f.string(100).index(),
    price: money().required(),
    cost: money(),
    currency: currency(),
    unit: f.string(50).default('each'),
    tax_rate: f.decimal(5, 2).min(0).max(100).default(0),
    stock_quantity: f.integer().default(0),
    is_active: f.boolean().default(true).index(),
    image_url: f.url(),
    supplier_id: f.ref('Supplier').index(),
  },
  tags: true,
  defaultSort: 'name',
  policy: {
    admin: FULL,
    manager: FULL,
    // Cost and margin stay with the people who set prices.
    sales_rep: { ...READ_ONLY, unreadable: ['cost'] },
    support: { ...READ_ONLY, unreadable: ['cost'] },
  },
});
