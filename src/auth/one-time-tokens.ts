import crypto from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { AnyModel } from '../db/models';
import { digest, newOpaqueToken, plausibleToken } from './opaque-tokens';

export type OneTimePurpose = 'password_reset' | 'invitation';

interface TokenRow {
  id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  attempts: number;
}

/** Wrong guesses a six-digit code survives: after these it is spent, and a new one must be asked for. */
const CODE_ATTEMPTS = 5;

/**
 * A code is six digits, so many users can hold the same one: its stored hash includes the user, which keeps
 * hashes unique and makes a code worthless for anyone else's account.
 */
const codeDigest = (userId: string, code: string) => digest(`${userId}:${code}`);

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

  /** A six-digit code sent by email (confirming an address); it replaces the user's unused codes. */
  async issueCode(userId: string, ttlMs: number, transaction?: Transaction): Promise<string> {
    const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
    await this.tokens.destroy({
      where: { user_id: userId, purpose: 'email_code', used_at: null },
      transaction,
    });
    await this.tokens.create(
      {
        user_id: userId,
        purpose: 'email_code',
        token_hash: codeDigest(userId, code),
        expires_at: new Date(Date.now() + ttlMs),
      },
      { transaction },
    );
    return code;
  }

  /**
   * Spends the user's current code when `presented` is it. A wrong guess counts against the code, which is
   * spent after a few, so the million possibilities cannot be tried one by one.
   */
  async consumeCode(userId: string, presented: unknown, transaction: Transaction): Promise<boolean> {
    const row = (await this.tokens.findOne({
      where: { user_id: userId, purpose: 'email_code', used_at: null },
      transaction,
      lock: transaction.LOCK.UPDATE,
      raw: true,
    })) as (TokenRow & { token_hash: string }) | null;
    const now = new Date();
    if (!row || row.expires_at <= now) return false;
    const right = typeof presented === 'string' && codeDigest(userId, presented.trim()) === row.token_hash;
    if (right || row.attempts + 1 >= CODE_ATTEMPTS) {
      await this.tokens.update({ used_at: now }, { where: { id: row.id }, transaction });
    } else {
      await this.tokens.increment('attempts', { where: { id: row.id }, transaction });
    }
    return right;
  }

  /** Whether a code was ever issued to the user: marks accounts that registered themselves. */
  async everIssuedCode(userId: string): Promise<boolean> {
    return (await this.tokens.count({ where: { user_id: userId, purpose: 'email_code' } })) > 0;
  }
}
