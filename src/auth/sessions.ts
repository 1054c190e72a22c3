import crypto from 'node:crypto';
import { Op, type Sequelize, type Transaction } from 'sequelize';
import type { Actor } from '../context';
import type { CrudServices } from '../crud/services';
import type { AnyModel } from '../db/models';
import { UnauthorizedError } from '../errors';
import type { RecordChange } from '../events';
import type { Logger } from '../logger';
import type { AccessTokens } from './access-tokens';
import type { Directory } from './directory';
import { digest, newOpaqueToken, plausibleToken } from './opaque-tokens';

/** Where a session was started from, kept with its refresh tokens. */
export interface Device {
  userAgent?: string;
  ip?: string;
}

export interface Session {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: Record<string, unknown>;
}

interface RefreshRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  created_at: Date;
}

const DAY_MS = 86_400_000;
const REFUSED = 'The refresh token is not valid or has expired: sign in again';

/**
 * Sign-in sessions: a short-lived access token plus a refresh token that rotates on every use. All refresh
 * tokens of one sign-in form a family; presenting one that was already rotated means someone else holds a
 * copy, so the whole family is revoked.
 */
export class Sessions {
  constructor(
    private readonly refreshTokens: AnyModel,
    private readonly users: AnyModel,
    private readonly directory: Directory,
    private readonly tokens: AccessTokens,
    private readonly crud: CrudServices,
    private readonly sequelize: Sequelize,
    private readonly refreshTtlDays: number,
    private readonly logger: Logger,
  ) {}

  /** A new session (a new refresh-token family) for someone who just proved who they are. */
  async start(actor: Actor, device: Device): Promise<Session> {
    const refreshToken = await this.issue(actor, device, crypto.randomUUID());
    return this.session(actor, refreshToken);
  }

  /** Trades a refresh token for a new session in the same family; the presented token is spent. */
  async refresh(presented: unknown, device: Device): Promise<Session> {
    if (!plausibleToken(presented)) throw new UnauthorizedError(REFUSED);
    // Refusals are returned, not thrown, so that a revocation they cause is committed.
    const outcome = await this.sequelize.transaction(async (t) => {
      const row = (await this.refreshTokens.findOne({
        where: { token_hash: digest(presented) },
        transaction: t,
        lock: t.LOCK.UPDATE,
        raw: true,
      })) as RefreshRow | null;
      if (!row) return undefined;
      const now = new Date();
      if (row.revoked_at) {
        if (row.revoked_reason === 'rotated') await this.revokeFamily(row.family_id, 'reused', t);
        return undefined;
      }
      // Sessions started before the user's sessions were ended (password set, deactivated) stay ended,
      // even before the change listener has marked their tokens revoked.
      const found = await this.directory.current(row.user_id, {
        since: row.created_at.getTime(),
        transaction: t,
      });
      if (row.expires_at <= now || !('actor' in found)) {
        await this.revokeFamily(row.family_id, 'refused', t);
        return undefined;
      }
      await this.refreshTokens.update(
        { revoked_at: now, revoked_reason: 'rotated', last_used_at: now },
        { where: { id: row.id }, transaction: t },
      );
      const { actor } = found;
      return { actor, refreshToken: await this.issue(actor, device, row.family_id, t) };
    });
    if (!outcome) throw new UnauthorizedError(REFUSED);
    return this.session(outcome.actor, outcome.refreshToken);
  }

  /**
   * Signs out the session the refresh token belongs to, or with `all` every session of its user. An
   * unknown token is already signed out; but signing out everywhere needs to know whose sessions those are.
   */
  async end(presented: unknown, all: boolean): Promise<void> {
    const row = plausibleToken(presented)
      ? ((await this.refreshTokens.findOne({
          where: { token_hash: digest(presented) },
          attributes: ['user_id', 'family_id'],
          raw: true,
        })) as Pick<RefreshRow, 'user_id' | 'family_id'> | null)
      : null;
    if (!row) {
      if (all) throw new UnauthorizedError(REFUSED);
      return;
    }
    if (all) await this.sequelize.transaction((t) => this.endAll(row.user_id, 'logout_all', t));
    else await this.revokeFamily(row.family_id, 'logout');
  }

  /** Ends every session of a user: refresh tokens are revoked and access tokens issued until now refused. */
  async endAll(userId: string, reason: string, transaction: Transaction): Promise<void> {
    const now = new Date();
    await this.users.update({ tokens_valid_after: now }, { where: { id: userId }, transaction });
    await this.revokeUser(userId, reason, now, transaction);
  }

  /**
   * The User hooks set `tokens_valid_after` when an admin deactivates someone or sets their password, which
   * already refuses their tokens; this marks the refresh tokens revoked to match.
   */
  onUserChange = (change: RecordChange): void => {
    if (change.entity !== 'User' || change.type !== 'update') return;
    const after = change.stored.tokens_valid_after;
    const before = change.previous?.tokens_valid_after;
    if (!(after instanceof Date) || (before instanceof Date && before.getTime() === after.getTime())) return;
    const reason = change.stored.is_active ? 'password_set' : 'deactivated';
    this.revokeUser(change.id, reason, after).catch((err: unknown) =>
      this.logger.error(
        `Could not revoke the refresh tokens of user ${change.id}: ${err instanceof Error ? err.message : String(err)}`,
      ),
    );
  };

  private async issue(
    actor: Actor,
    device: Device,
    familyId: string,
    transaction?: Transaction,
  ): Promise<string> {
    const { token, hash } = newOpaqueToken();
    await this.refreshTokens.create(
      {
        organization_id: actor.organizationId,
        user_id: actor.userId,
        family_id: familyId,
        token_hash: hash,
        user_agent: device.userAgent?.slice(0, 512) ?? null,
        ip: device.ip?.slice(0, 64) ?? null,
        expires_at: new Date(Date.now() + this.refreshTtlDays * DAY_MS),
      },
      { transaction },
    );
    return token;
  }

  private async session(actor: Actor, refreshToken: string): Promise<Session> {
    return {
      access_token: this.tokens.sign(actor),
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: this.tokens.ttlSeconds,
      user: await this.crud.for(actor, 'User').get(actor.userId),
    };
  }

  private async revokeFamily(familyId: string, reason: string, transaction?: Transaction): Promise<void> {
    await this.refreshTokens.update(
      { revoked_at: new Date(), revoked_reason: reason },
      { where: { family_id: familyId, revoked_at: null }, transaction },
    );
  }

  private async revokeUser(
    userId: string,
    reason: string,
    issuedBefore: Date,
    transaction?: Transaction,
  ): Promise<void> {
    await this.refreshTokens.update(
      { revoked_at: new Date(), revoked_reason: reason },
      {
        where: { user_id: userId, revoked_at: null, created_at: { [Op.lte]: issuedBefore } },
        transaction,
      },
    );
  }
}
