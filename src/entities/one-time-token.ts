import { defineSystemTable } from '../schema/entity';
import { f } from '../schema/fields';

/** Single-use secrets sent by email: password resets, invitations, sign-in codes. Stored only as hashes. */
export const OneTimeToken = defineSystemTable({
  name: 'OneTimeToken',
  table: 'one_time_tokens',
  fields: {
    user_id: f.ref('User', 'CASCADE').required().index(),
    purpose: f.enum(['password_reset', 'invitation', 'email_code']).required(),
    token_hash: f.string(64).required().unique('global'),
    expires_at: f.timestamp().required(),
    used_at: f.timestamp(),
    /** Wrong guesses, for short codes that could otherwise be guessed. */
    attempts: f.integer().default(0),
  },
});
