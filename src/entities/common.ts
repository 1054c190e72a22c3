import { f } from '../schema/fields';

/** Field groups several entities share, declared once. */
export const postalAddress = () => ({
  address: f.string(255),
  city: f.string(100),
  state: f.string(100),
  country: f.string(100),
  postal_code: f.string(20),
});

/** A link to any other record: `related_type` names the entity (snake_case), `related_id` the record. */
export const relatedRecord = () => ({
  related_type: f.relatedType(),
  related_id: f.uuid(),
});
export const RELATED_INDEX = ['related_type', 'related_id'] as const;

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

export const currency = () => f.string(3).default('USD');
export const money = () => f.decimal(15, 2).min(0);
