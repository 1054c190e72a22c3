import pg from 'pg';
import type { Logger } from '../logger';

export interface NotificationListenerOptions {
  url: string;
  ssl: 'off' | 'verify' | 'no-verify';
  channel: string;
  logger: Logger;
  onMessage(payload: string): void;
  /** Told when notifications start and stop arriving: while they do not, changes can go unheard. */
  onHearing(hearing: boolean): void;
}

const RETRY_MS = { first: 500, max: 30_000 };

/**
 * One connection that LISTENs on a PostgreSQL channel, outside the pool (a pooled connection would hand the
 * subscription to whoever borrows it next). It reconnects with backoff when the connection drops, and says
 * so through `onHearing`, because notifications sent while it was down are lost.
 */
export class NotificationListener {
  private client: pg.Client | undefined;
  private retryMs = RETRY_MS.first;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: NotificationListenerOptions) {}

  /** The listening session's backend process id while connected (for operators, and tests that cut it). */
  get processId(): number | undefined {
    // Set by node-postgres once connected; missing from its type declarations.
    return (this.client as { processID?: number | null } | undefined)?.processID ?? undefined;
  }

  start(): void {
    void this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    this.o.onHearing(false);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.o.url,
      ssl: this.o.ssl === 'off' ? undefined : { rejectUnauthorized: this.o.ssl === 'verify' },
      application_name: 'nexa-crm-listener',
    });
    this.client = client;
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.o.onHearing(false);
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.o.logger.warn(
        `Lost the PostgreSQL notification channel ${this.o.channel}${err ? `: ${err.message}` : ''}; ` +
          `retrying in ${this.retryMs} ms`,
      );
      this.retry = setTimeout(() => void this.connect(), this.retryMs);
      this.retry.unref();
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MS.max);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      if (n.channel === this.o.channel && n.payload !== undefined) this.o.onMessage(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.o.channel.replace(/"/g, '""')}"`);
    } catch (err) {
      return lost(err as Error);
    }
    if (this.client !== client) return;
    this.retryMs = RETRY_MS.first;
    this.o.onHearing(true);
  }
}
