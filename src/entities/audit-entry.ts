import { defineSystemTable } from '../schema/entity';
import { f } from '../schema/fields';

/**
 * One change to one record: who, when, and field by field what it was and became. Written in the same
 * transaction as the change, so the history never disagrees with the data.
 */
export const AuditEntry = defineSystemTable({
  name: 'AuditEntry',
  table: 'audit_entries',
  fields: {
    organization_id: f.ref('Organization', 'CASCADE').required(),
    entity: f.string(50).required(),
    record_id: f.uuid().required(),
    action: f.enum(['create', 'update', 'delete']).required(),
    actor_id: f.ref('User').index(),
    actor_email: f.string(255),
    api_key_id: f.uuid(),
    /** `{ field: { from, to } }`; hidden fields appear masked. */
    changes: f.json<Record<string, { from: unknown; to: unknown }>>().default({}),
  },
  // A record's history, newest first; the organization's audit list by time.
  indexes: [
    ['organization_id', 'entity', 'record_id', 'created_at'],
    ['organization_id', 'created_at'],
  ],
});
