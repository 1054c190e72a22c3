import type { Transaction } from 'sequelize';
import type { AnyModel } from '../db/models';
import { digest, newOpaqueToken, plausibleToken } from './opaque-tokens';

export type OneTimePurpose = 'password_reset' | 'invitation';

interface TokenRow {
  id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
}

/** Single-use secrets sent by email, stored as hashes. A new one replaces the user's unused ones. */
export class OneTimeTokens {
  constructor(private readonly tokens: AnyModel) {}

  async issue(
    userId: string,
    purpose: OneTimePurpose,
    ttlMs: number,
    transaction?: Transaction,
  ): Promise<string> {
    const { token, hash } = newOpaqueToken();
    // Only the newest link works: an older email that is forwarded or found later is worthless.
    await this.tokens.destroy({ where: { user_id: userId, purpose, used_at: null }, transaction });
    await this.tokens.create(
      { user_id: userId, purpose, token_hash: hash, expires_at: new Date(Date.now() + ttlMs) },
      { transaction },
    );
    return token;
  }

  /** The user a valid token was issued to, marking it used; undefined when unknown, used or expired. */
  async consume(
    presented: unknown,
    purpose: OneTimePurpose,
    transaction: Transaction,
  ): Promise<string | undefined> {
    if (!plausibleToken(presented)) return undefined;
    const row = (await this.tokens.findOne({
      where: { token_hash: digest(presented), purpose },
      transaction,
      lock: transaction.LOCK.UPDATE,
      raw: true,
    })) as TokenRow | null;
    const now = new Date();
    if (!row || row.used_at || row.expires_at <= now) return undefined;
    await this.tokens.update({ used_at: now }, { where: { id: row.id }, transaction });
    return row.user_id;
  }
}
