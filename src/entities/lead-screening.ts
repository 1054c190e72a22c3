import { defineSystemTable } from '../schema/entity';
import { f } from '../schema/fields';

/**
 * The verdict on one incoming lead (web form or vendor key). Clean leads point at the lead they became; spam
 * keeps the whole submission so an admin can release it later. Burst and duplicate checks count these rows.
 */
export const LeadScreening = defineSystemTable({
  name: 'LeadScreening',
  table: 'lead_screenings',
  fields: {
    organization_id: f.ref('Organization', 'CASCADE').required(),
    verdict: f.enum(['clean', 'spam', 'released']).required(),
    score: f.integer().default(0),
    reasons: f.tags().default([]),
    channel: f.enum(['form', 'api_key']).required(),
    form_id: f.ref('IntakeForm', 'CASCADE'),
    api_key_id: f.ref('ApiKey', 'SET NULL'),
    ip: f.string(64),
    email: f.string(255),
    phone: f.string(50),
    payload: f.json<Record<string, unknown>>().default({}),
    lead_id: f.ref('Lead', 'SET NULL'),
    released_by: f.ref('User', 'SET NULL'),
  },
  indexes: [
    ['organization_id', 'verdict', 'created_at'],
    ['organization_id', 'email', 'created_at'],
    ['organization_id', 'phone', 'created_at'],
    ['ip', 'created_at'],
    ['form_id', 'created_at'],
    ['api_key_id', 'created_at'],
  ],
});
