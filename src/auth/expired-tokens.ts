import { QueryTypes, type Sequelize } from 'sequelize';
import type { AnyModel } from '../db/models';
import type { Logger } from '../logger';

/** Rows deleted per statement, so a first sweep of a large backlog never holds long locks. */
const BATCH = 5000;
/** The first sweep comes one to two minutes after start. */
const FIRST_SWEEP_MS = 60_000;

/**
 * Deletes sign-in secrets nobody can use any more, which would otherwise pile up with every refresh:
 * - a refresh-token family once every token in it has expired. A rotated token is kept while its family
 *   lives, because presenting it again is how a stolen copy is detected (Sessions revokes the family);
 * - password-reset and invitation tokens once expired;
 * - emailed codes once expired and their account has confirmed its address. An unconfirmed account's codes
 *   are kept: that a code was ever issued is what marks an account that registered itself and awaits one
 *   (OneTimeTokens.everIssuedCode).
 * Every instance may sweep; the deletes are idempotent.
 */
export class ExpiredTokens {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly tables: { refreshTokens: AnyModel; oneTimeTokens: AnyModel; users: AnyModel },
    private readonly logger: Logger,
  ) {}

  async sweep(now = new Date()): Promise<{ refreshTokens: number; oneTimeTokens: number }> {
    const refresh = this.tables.refreshTokens.getTableName() as string;
    const oneTime = this.tables.oneTimeTokens.getTableName() as string;
    const refreshTokens = await this.deleteAll(
      `DELETE FROM "${refresh}" WHERE family_id IN (
         SELECT family_id FROM "${refresh}" GROUP BY family_id HAVING max(expires_at) < $1 LIMIT ${BATCH})`,
      now,
    );
    const users = this.tables.users.getTableName() as string;
    const oneTimeTokens = await this.deleteAll(
      `DELETE FROM "${oneTime}" WHERE id IN (
         SELECT t.id FROM "${oneTime}" t
          WHERE t.expires_at < $1
            AND (t.purpose IN ('password_reset', 'invitation')
                 OR (t.purpose = 'email_code' AND EXISTS (
                       SELECT 1 FROM "${users}" u WHERE u.id = t.user_id AND u.email_verified_at IS NOT NULL)))
          LIMIT ${BATCH})`,
      now,
    );
    if (refreshTokens || oneTimeTokens) {
      this.logger.info(
        `Deleted expired tokens: ${refreshTokens} refresh token(s), ${oneTimeTokens} one-time token(s)`,
      );
    }
    return { refreshTokens, oneTimeTokens };
  }

  /**
   * Sweeps every `everyMs`, the first time within two minutes of starting (instances replaced more often than
   * `everyMs` would otherwise never sweep); the timer never keeps the process alive.
   */
  start(everyMs: number): void {
    clearTimeout(this.timer);
    const next = (delayMs: number) => {
      this.timer = setTimeout(() => {
        this.running = this.sweep()
          .catch((err: unknown) =>
            this.logger.warn(
              `Expired tokens not deleted: ${err instanceof Error ? err.message : String(err)}`,
            ),
          )
          .finally(() => {
            this.running = undefined;
            if (this.timer) next(everyMs);
          });
      }, delayMs);
      this.timer.unref();
    };
    // Spread over a minute, so instances started together do not all sweep at once.
    next(Math.min(everyMs, FIRST_SWEEP_MS + Math.random() * FIRST_SWEEP_MS));
  }

  /** Stops sweeping and waits for a sweep under way, so the database can close after it. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async deleteAll(sql: string, now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const affected = (await this.sequelize.query(sql, {
        bind: [now],
        type: QueryTypes.BULKDELETE,
      })) as unknown as number;
      total += affected;
      if (affected < BATCH) return total;
    }
  }
}
