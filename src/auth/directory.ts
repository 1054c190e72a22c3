import { QueryTypes, type Transaction } from 'sequelize';
import { selectFixed } from '../db/fixed-statement';
import { ROLES, type Actor, type Role } from '../context';
import type { AnyModel } from '../db/models';
import { UnauthorizedError } from '../errors';
import type { AccessClaims } from './access-tokens';

interface UserRow {
  id: string;
  organization_id: string;
  email: string;
  role: Role;
  is_active: boolean;
  tokens_valid_after: Date | null;
}

/** Who a token belongs to, read fresh on every request so deactivation and role changes apply at once. */
export class Directory {
  constructor(private readonly users: AnyModel) {}

  /**
   * The user as they are now, if they may still act: present, active, and — for a session or token that
   * began at `since` (ms) — not cut off by a later end of their sessions.
   */
  async current(
    userId: string,
    opts: { organizationId?: string; since?: number; transaction?: Transaction } = {},
  ): Promise<{ actor: Actor } | { refused: 'gone' | 'ended' }> {
    // Runs on every authenticated request: one fixed statement, no query building.
    const [user] = await selectFixed<UserRow>(
      this.users.sequelize!,
      `SELECT id, organization_id, email, role, is_active, tokens_valid_after FROM users
        WHERE id = $1 ${opts.organizationId ? 'AND organization_id = $2' : ''} LIMIT 1`,
      opts.organizationId ? [userId, opts.organizationId] : [userId],
      opts.transaction,
    );
    if (!user || !user.is_active || !ROLES.includes(user.role)) return { refused: 'gone' };
    if (
      opts.since !== undefined &&
      user.tokens_valid_after &&
      opts.since < user.tokens_valid_after.getTime()
    ) {
      return { refused: 'ended' };
    }
    return {
      actor: { userId: user.id, organizationId: user.organization_id, email: user.email, role: user.role },
    };
  }

  /** `issuedAt` (an access token's) is checked against the moment the user's sessions were last ended. */
  async actorFor(claims: AccessClaims & { issuedAt?: number }): Promise<Actor> {
    const found = await this.current(claims.userId, {
      organizationId: claims.organizationId,
      since: claims.issuedAt,
    });
    if ('actor' in found) return found.actor;
    throw new UnauthorizedError(
      found.refused === 'ended'
        ? 'This session has ended: sign in again'
        : 'This account no longer has access: sign in again',
    );
  }

  /** The actor and everyone who reports to them. */
  teamOf = async (actor: Actor, transaction?: Transaction): Promise<string[]> => {
    const reports = await this.users.sequelize!.query<{ id: string }>(
      'SELECT id FROM users WHERE organization_id = $1 AND manager_id = $2 AND id <> $2',
      { bind: [actor.organizationId, actor.userId], type: QueryTypes.SELECT, transaction },
    );
    return [actor.userId, ...reports.map((r) => r.id)];
  };
}
