import { defineSystemTable } from '../schema/entity';
import { f } from '../schema/fields';

/**
 * A key for integrations and lead vendors. It acts as the admin who created it, narrowed to its scopes;
 * only its hash is stored, and its prefix lets people tell keys apart.
 */
export const ApiKey = defineSystemTable({
  name: 'ApiKey',
  table: 'api_keys',
  fields: {
    organization_id: f.ref('Organization', 'CASCADE').required().index(),
    created_by: f.ref('User', 'CASCADE').required().index(),
    name: f.string(100).required(),
    prefix: f.string(24).required(),
    key_hash: f.string(64).required().unique('global'),
    scopes: f.tags().default([]),
    source_code: f.string(100),
    rate_limit_per_minute: f.integer(),
    daily_quota: f.integer(),
    usage_day: f.string(10),
    usage_count: f.integer().default(0),
    last_used_at: f.timestamp(),
    expires_at: f.timestamp(),
    revoked_at: f.timestamp(),
  },
});
