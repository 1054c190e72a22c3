import type { RolePolicy } from '../schema/entity';

/**
 * The access patterns entities share. A role missing from an entity's policy has no access to it; an
 * action missing from a role's entry is one the role never takes (403).
 */
export const FULL: RolePolicy = { read: 'all', create: true, update: 'all', delete: 'all' };
/** Company-wide records a role maintains but does not delete. */
export const MAINTAIN: RolePolicy = { read: 'all', create: true, update: 'all' };
export const READ_ONLY: RolePolicy = { read: 'all' };
/** A manager's reach: their own records and their reports'. */
export const TEAM: RolePolicy = { read: 'team', create: true, update: 'team', delete: 'team' };

/**
 * Records a person owns: they see and change only their own, and may not hand them to someone else
 * (`owner` fields are theirs to keep, not to set).
 */
export const own = (ownerField: string | null, canDelete = true): RolePolicy => ({
  read: 'own',
  create: true,
  update: 'own',
  ...(canDelete ? { delete: 'own' as const } : {}),
  ...(ownerField ? { unwritable: [ownerField] } : {}),
});
