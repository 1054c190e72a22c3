import { Op, type WhereOptions } from 'sequelize';
import type { Actor } from '../context';
import { ForbiddenError } from '../errors';
import type { EntityDeclaration, RolePolicy, Scope } from '../schema/entity';

export type Action = 'read' | 'create' | 'update' | 'delete';

const FULL_ACCESS: RolePolicy = { read: 'all', create: true, update: 'all', delete: 'all' };

/** A declaration without a policy is open to every role of the organization. */
export function rolePolicy(decl: EntityDeclaration, actor: Actor): RolePolicy {
  return decl.policy ? (decl.policy[actor.role] ?? {}) : FULL_ACCESS;
}

const VERB: Record<Action, string> = { read: 'read', create: 'create', update: 'change', delete: 'delete' };

/** The rows this actor reaches for an action; an action the role never has is a 403. */
export function scopeOf(decl: EntityDeclaration, actor: Actor, action: Action): Exclude<Scope, false> {
  const policy = rolePolicy(decl, actor);
  const scope: Scope = action === 'create' ? (policy.create ? 'all' : false) : (policy[action] ?? false);
  if (!scope) {
    throw new ForbiddenError(
      `Your role (${actor.role}) may not ${VERB[action]} ${decl.path.replace(/-/g, ' ')}`,
    );
  }
  return scope;
}

/** The row filter a scope means; AND-ed around whatever the caller asked for. */
export function scopeWhere(
  decl: EntityDeclaration,
  scope: Exclude<Scope, false>,
  people: string[],
): WhereOptions | undefined {
  if (scope === 'all') return undefined;
  const owners = decl.owner.map((field) => ({ [field]: { [Op.in]: people } }));
  return owners.length === 1 ? owners[0] : { [Op.or]: owners };
}
