import Joi from 'joi';
import { NotFoundError, ValidationError } from '../errors';
import { FULL, MAINTAIN, own, READ_ONLY } from './policies';
import { defineEntity, type Values } from '../schema/entity';
import { f } from '../schema/fields';
import { currency, money } from './common';
import { fromCents, recordNumber, toCents } from './money-math';

export interface OrderItem {
  product_id: string;
  product_name?: string;
  description?: string;
  quantity: number;
  unit_price: number;
  discount: number;
  line_total: number;
}

const orderItem = Joi.object({
  product_id: Joi.string().guid().required(),
  description: Joi.string().max(500).allow(''),
  quantity: Joi.number().integer().min(1).max(1_000_000).required(),
  unit_price: Joi.number().min(0).max(1e12).precision(2),
  discount: Joi.number().min(0).max(1e12).precision(2).default(0),
  // Filled in by the server; a client sending an order back as it read it is not refused for them.
  product_name: Joi.any().strip(),
  line_total: Joi.any().strip(),
});

const AMOUNT_FIELDS = ['discount_amount', 'tax_amount', 'shipping_amount'] as const;

/** Prices each line and sums the order: subtotal of lines, minus discount, plus tax and shipping. */
export function priceOrder(
  items: Omit<OrderItem, 'line_total'>[],
  amounts: Partial<Record<(typeof AMOUNT_FIELDS)[number], unknown>>,
): { items: OrderItem[]; subtotal: number; total_amount: number } {
  const priced = items.map((item, index) => {
    const line = item.quantity * toCents(item.unit_price) - toCents(item.discount);
    if (line < 0) {
      throw new ValidationError('A line discount cannot exceed the line amount', [
        { field: `items[${index}].discount`, message: 'discount is larger than quantity × unit_price' },
      ]);
    }
    return { ...item, line_total: fromCents(line) };
  });
  const subtotal = priced.reduce((sum, item) => sum + toCents(item.line_total), 0);
  const total =
    subtotal -
    toCents(amounts.discount_amount) +
    toCents(amounts.tax_amount) +
    toCents(amounts.shipping_amount);
  if (total < 0) {
    throw new ValidationError('The order discount cannot exceed its subtotal', [
      { field: 'discount_amount', message: 'discount_amount is larger than the order' },
    ]);
  }
  return { items: priced, subtotal: fromCents(subtotal), total_amount: fromCents(total) };
}

export const Order = defineEntity({
  name: 'Order',
  table: 'orders',
  path: 'orders',
  description: 'What a customer bought: line items of products, with computed totals.',
  fields: {
    order_number: f.string(50).searchable().unique(),
    customer_id: f.ref('Customer').required().index(),
    account_id: f.ref('Account').index(),
    status: f
      .enum(['draft', 'pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded'])
      .default('pending')
      .index(),
    payment_status: f.enum(['unpaid', 'partially_paid', 'paid', 'refunded']).default('unpaid').index(),
    order_date: f.timestamp().defaultNow().index(),
    items: f.json<OrderItem[]>(Joi.array().items(orderItem).min(1).max(500)).required(),
    subtotal: money().default(0).readOnly(),
    discount_amount: money().default(0),
    tax_amount: money().default(0),
    shipping_amount: money().default(0),
    total_amount: money().default(0).readOnly(),
    currency: currency(),
    shipping_address: f.text(),
    billing_address: f.text(),
    notes: f.text(),
    owner_id: f.ref('User').index(),
  },
  owner: ['owner_id', 'created_by'],
  defaultSort: '-order_date',
  policy: { admin: FULL, manager: MAINTAIN, sales_rep: own('owner_id', false), support: READ_ONLY },
  hooks: {
    async beforeWrite(values, { existing, lookup }) {
      const next: Values = { ...values };
      if (!existing && !next.order_number) next.order_number = recordNumber('ORD');
      const touchesTotals = next.items !== undefined || AMOUNT_FIELDS.some((k) => next[k] !== undefined);
      if (!touchesTotals) return next;

      let items = (next.items ?? existing?.items) as Omit<OrderItem, 'line_total'>[];
      if (next.items !== undefined) {
        const ids = [...new Set(items.map((i) => i.product_id))];
        const products = new Map(
          (await lookup('Product', ids, ['id', 'name', 'price'])).map((p) => [p.id as string, p]),
        );
        const missing = items.findIndex((i) => !products.has(i.product_id));
        if (missing >= 0) {
          // Like any reference to a record the caller cannot see: 404, naming the field.
          throw new NotFoundError('An order line names a product that does not exist', [
            { field: `items[${missing}].product_id`, message: 'no product with this id' },
          ]);
        }
        items = items.map((i) => {
          const product = products.get(i.product_id)!;
          return {
            ...i,
            product_name: product.name as string,
            unit_price: i.unit_price ?? Number(product.price),
          };
        });
      }
      const merged = { ...existing, ...next };
      return { ...next, ...priceOrder(items, merged) };
    },
  },
});
