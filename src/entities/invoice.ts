import { ValidationError } from '../errors';
import { FULL, MAINTAIN, READ_ONLY } from './policies';
import { defineEntity, type Values } from '../schema/entity';
import { f } from '../schema/fields';
import { currency, money } from './common';
import { fromCents, recordNumber, toCents } from './money-math';

const AMOUNTS = ['subtotal', 'tax_amount', 'discount_amount', 'amount_paid'] as const;

export const Invoice = defineEntity({
  name: 'Invoice',
  table: 'invoices',
  path: 'invoices',
  description: 'A bill for an order or an account, with its due date and what has been paid.',
  fields: {
    invoice_number: f.string(50).searchable().unique(),
    order_id: f.ref('Order').index(),
    account_id: f.ref('Account').index(),
    customer_id: f.ref('Customer').index(),
    status: f.enum(['draft', 'sent', 'paid', 'partially_paid', 'overdue', 'void']).default('draft').index(),
    issue_date: f.timestamp().defaultNow(),
    due_date: f.timestamp().required().index(),
    subtotal: money().default(0),
    tax_amount: money().default(0),
    discount_amount: money().default(0),
    total_amount: money().default(0).readOnly(),
    amount_paid: money().default(0),
    balance_due: money().default(0).readOnly(),
    currency: currency(),
    paid_at: f.timestamp(),
    terms: f.text(),
    notes: f.text(),
  },
  defaultSort: '-issue_date',
  policy: { admin: FULL, manager: MAINTAIN, sales_rep: { read: 'own' }, support: READ_ONLY },
  hooks: {
    async beforeWrite(values, { existing, lookup }) {
      const next: Values = { ...values };
      if (!existing) {
        next.invoice_number ??= recordNumber('INV');
        // An invoice raised for an order bills that order's amounts unless told otherwise.
        if (typeof next.order_id === 'string' && next.subtotal === undefined) {
          const [order] = await lookup(
            'Order',
            [next.order_id],
            ['subtotal', 'tax_amount', 'discount_amount'],
          );
          if (order) Object.assign(next, { ...order, ...next });
        }
      }
      if (existing && !AMOUNTS.some((k) => next[k] !== undefined)) return next;
      const m = { ...existing, ...next };
      const total = toCents(m.subtotal) + toCents(m.tax_amount) - toCents(m.discount_amount);
      const balance = total - toCents(m.amount_paid);
      if (total < 0) {
        throw new ValidationError('The discount cannot exceed the subtotal plus tax', [
          { field: 'discount_amount', message: 'discount_amount is too large' },
        ]);
      }
      if (balance < 0) {
        throw new ValidationError('More is paid than the invoice total', [
          { field: 'amount_paid', message: 'amount_paid exceeds total_amount' },
        ]);
      }
      return { ...next, total_amount: fromCents(total), balance_due: fromCents(balance) };
    },
  },
});
