import { Op, type Transaction } from 'sequelize';
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
    const user = (await this.users.findOne({
      where: { id: userId, ...(opts.organizationId ? { organization_id: opts.organizationId } : {}) },
      attributes: ['id', 'organization_id', 'email', 'role', 'is_active', 'tokens_valid_after'],
      raw: true,
      transaction: opts.transaction,
    })) as UserRow | null;
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
    const reports = (await this.users.findAll({
      where: {
        organization_id: actor.organizationId,
        manager_id: actor.userId,
        id: { [Op.ne]: actor.userId },
      },
      attributes: ['id'],
      raw: true,
      transaction,
    })) as unknown as { id: string }[];
    return [actor.userId, ...reports.map((r) => r.id)];
  };
}
