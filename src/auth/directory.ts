import { QueryTypes, type Transaction } from 'sequelize';
import { selectFixed } from '../db/fixed-statement';
import { ROLES, type Actor, type Role } from '../context';
import type { AnyModel } from '../db/models';
import { UnauthorizedError } from '../errors';
import type { CallerCache } from './caller-cache';
import { CALLER_COLUMNS } from './user-changes';
import type { AccessClaims } from './access-tokens';

const READ_CALLER = `SELECT ${CALLER_COLUMNS.join(', ')} FROM users WHERE id = $1 LIMIT 1`;

export interface UserRow {
  id: string;
  organization_id: string;
  email: string;
  role: Role;
  is_active: boolean;
  tokens_valid_after: Date | null;
}

/**
 * Who a token belongs to, as they are now, so that deactivation and role changes apply at once: read on every
 * request, or taken from `cache` while it is sure to hear of every change (see CallerCache).
 */
export class Directory {
  constructor(
    private readonly users: AnyModel,
    private readonly cache?: CallerCache<UserRow>,
  ) {}

  /**
   * The user as they are now, if they may still act: present, active, and — for a session or token that
   * began at `since` (ms) — not cut off by a later end of their sessions. Inside a transaction, always read.
   */
  async current(
    userId: string,
    opts: { organizationId?: string; since?: number; transaction?: Transaction } = {},
  ): Promise<{ actor: Actor } | { refused: 'gone' | 'ended' }> {
    const read = () => this.read(userId, opts.transaction);
    const user = this.cache && !opts.transaction ? await this.cache.read(userId, read) : await read();
    if (opts.organizationId !== undefined && user?.organization_id !== opts.organizationId)
      return { refused: 'gone' };
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

  /** Runs on every authenticated request the cache does not answer: one fixed statement, no query building. */
  private async read(userId: string, transaction?: Transaction): Promise<UserRow | undefined> {
    const [user] = await selectFixed<UserRow>(this.users.sequelize!, READ_CALLER, [userId], {
      transaction,
      prepare: true,
    });
    return user;
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
