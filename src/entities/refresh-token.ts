import { defineSystemTable } from '../schema/entity';
import { f } from '../schema/fields';

/**
 * A sign-in session's refresh token, stored only as a hash. Each use rotates it: the new token joins the
 * same family, and presenting an already-rotated token revokes the whole family.
 */
export const RefreshToken = defineSystemTable({
  name: 'RefreshToken',
  table: 'refresh_tokens',
  fields: {
    organization_id: f.ref('Organization', 'CASCADE').required(),
    user_id: f.ref('User', 'CASCADE').required().index(),
    family_id: f.uuid().required().index(),
    token_hash: f.string(64).required().unique('global'),
    user_agent: f.string(512),
    ip: f.string(64),
    expires_at: f.timestamp().required(),
    last_used_at: f.timestamp(),
    revoked_at: f.timestamp(),
    revoked_reason: f.string(50),
  },
});
