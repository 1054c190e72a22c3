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

/** `leads:create`, `leads:*` and `*` grant creating leads. */
export function keyAllows(scopes: readonly string[], path: string, action: Action): boolean {
  return scopes.some((s) => s === '*' || s === `${path}:*` || s === `${path}:${action}`);
}

/** The rows this actor reaches for an action; an action the role (or the API key) never has is a 403. */
export function scopeOf(decl: EntityDeclaration, actor: Actor, action: Action): Exclude<Scope, false> {
  if (actor.apiKey && !keyAllows(actor.apiKey.scopes, decl.path, action)) {
    throw new ForbiddenError(
      `This API key may not ${VERB[action]} ${decl.path.replace(/-/g, ' ')} (it needs the scope ${decl.path}:${action})`,
    );
  }
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
