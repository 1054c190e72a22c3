import { passwordRule } from '../auth/password-policy';
import { ROLES } from '../context';
import { ForbiddenError } from '../errors';
import { defineEntity, type RolePolicy, type Values } from '../schema/entity';
import { FULL } from './policies';
import { f } from '../schema/fields';

const SELF_SERVICE: RolePolicy = {
  read: 'all',
  update: 'own',
  unwritable: ['email', 'role', 'manager_id', 'is_active'],
};

/** What nobody may change about their own account, and why not (another admin can). */
const NOT_ON_YOURSELF: Record<string, string> = {
  role: 'You cannot change your own role: another admin can',
  is_active: 'You cannot deactivate or reactivate yourself: another admin can',
  password: 'Change your own password at PUT /api/v1/auth/update-password, which asks for the current one',
};

function refuseChangesToSelf(values: Values, existing: Values): void {
  for (const [field, message] of Object.entries(NOT_ON_YOURSELF)) {
    if (field in values && values[field] !== existing[field]) throw new ForbiddenError(message);
  }
}

export const User = defineEntity({
  name: 'User',
  table: 'users',
  path: 'users',
  description: 'People who sign in: their role decides what they may see and change.',
  fields: {
    email: f.email().required().unique('global').searchable(),
    password_hash: f.string(100).hidden(),
    first_name: f.string(100).searchable(),
    last_name: f.string(100).searchable(),
    role: f.enum(ROLES).default('sales_rep').index(),
    manager_id: f.ref('User').index(),
    is_active: f.boolean().default(true),
    title: f.string(100),
    department: f.string(100),
    phone: f.phone(),
    avatar_url: f.url(),
    timezone: f.string(64).default('UTC'),
    last_login_at: f.timestamp().readOnly(),
    email_verified_at: f.timestamp().readOnly(),
    /** Access tokens issued before this moment are refused (set on password change, reset, sign-out everywhere). */
    tokens_valid_after: f.timestamp().hidden(),
  },
  owner: ['id'],
  defaultSort: 'last_name',
  inputs: { password: passwordRule },
  policy: {
    admin: FULL,
    // Everyone sees their colleagues (assignee pickers) and keeps their own profile; who they are in the
    // organization — email, role, manager, active — is for admins to set.
    manager: SELF_SERVICE,
    sales_rep: SELF_SERVICE,
    support: SELF_SERVICE,
  },
  hooks: {
    async beforeWrite(values, { actor, existing, hashSecret }) {
      if (existing?.id === actor.userId) refuseChangesToSelf(values, existing);
      const { password, ...rest } = values;
      const hashed = typeof password === 'string' ? { password_hash: await hashSecret(password) } : {};
      // Someone else set the password or deactivated the account: the sessions it had end with this write
      // (refresh tokens are marked revoked by a change listener; see Sessions.onUserChange). A deactivation
      // is stamped even on an account that is not active yet: a self-registration still waiting for its
      // emailed code is then refused the code (AppAccounts.pending), as the admin decided.
      const deactivates = rest.is_active === false && (existing?.is_active || !existing?.tokens_valid_after);
      const endSessions = existing !== undefined && (typeof password === 'string' || deactivates);
      return { ...rest, ...hashed, ...(endSessions ? { tokens_valid_after: new Date() } : {}) };
    },
    beforeDelete(existing, { actor }) {
      if (existing.id === actor.userId)
        throw new ForbiddenError('You cannot delete your own account: another admin can');
    },
  },
});
