import { literal, Op, type WhereOptions } from 'sequelize';
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

/**
 * The rows a scope reaches, one condition per owner field (any of them will do); none for 'all'. A record
 * with no owner fields belongs to nobody, so a narrower scope than 'all' reaches none of them.
 */
export function ownerConditions(
  decl: EntityDeclaration,
  scope: Exclude<Scope, false>,
  people: string[],
): WhereOptions[] {
  if (scope === 'all') return [];
  if (!decl.owner.length) return [literal('FALSE')];
  return decl.owner.map((field) => ({ [field]: { [Op.in]: people } }));
}

const BREADTH: Record<Exclude<Scope, false>, number> = { own: 1, team: 2, all: 3 };

/**
 * Whether `outer` reaches every row `inner` reaches: own ⊂ team ⊂ all, through the same owner fields (a
 * team is its manager and their direct reports).
 */
export const covers = (outer: Scope | undefined, inner: Exclude<Scope, false>): boolean =>
  !!outer && BREADTH[outer] >= BREADTH[inner];

/** The row filter a scope means; AND-ed around whatever the caller asked for. */
export function scopeWhere(
  decl: EntityDeclaration,
  scope: Exclude<Scope, false>,
  people: string[],
): WhereOptions | undefined {
  const owners = ownerConditions(decl, scope, people);
  return owners.length > 1 ? { [Op.or]: owners } : owners[0];
}

/**
 * Whether the actor may read this stored row: the rule a GET applies (organization, API-key scope, the
 * role's read scope over the owner fields), checked on one row in memory instead of in SQL — for listeners
 * such as realtime subscribers that see a committed change rather than query for it. `team` is the actor's
 * team as `Directory.teamOf` gives it (the actor and their direct reports); only a 'team' scope reads it.
 */
export function readableBy(
  decl: EntityDeclaration,
  actor: Actor,
  row: Record<string, unknown>,
  team: readonly string[],
): boolean {
  if (row.organization_id !== actor.organizationId) return false;
  if (actor.apiKey && !keyAllows(actor.apiKey.scopes, decl.path, 'read')) return false;
  const scope = rolePolicy(decl, actor).read;
  if (!scope) return false;
  if (scope === 'all') return true;
  const people = scope === 'own' ? [actor.userId] : team;
  return decl.owner.some((field) => people.includes(row[field] as string));
}

/** A record as this actor may see it: hidden fields and the fields the role may not read are left out. */
export function readableFields(
  decl: EntityDeclaration,
  actor: Actor,
  record: Record<string, unknown>,
): Record<string, unknown> {
  const unreadable = new Set(rolePolicy(decl, actor).unreadable ?? []);
  return Object.fromEntries(
    Object.entries(record).filter(
      ([name]) => decl.fields[name] !== undefined && !decl.fields[name].spec.hidden && !unreadable.has(name),
    ),
  );
}
