import crypto from 'node:crypto';
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
  /** How often delivery is checked end to end (default 30 s), and how long a check may take (5 s). */
  probeEveryMs?: number;
  probeTimeoutMs?: number;
}

const RETRY_MS = { first: 500, max: 30_000 };
const PROBE = 'probe:';

/**
 * One connection that LISTENs on a PostgreSQL channel, outside the pool (a pooled connection would hand the
 * subscription to whoever borrows it next). It reports hearing only once a probe it sent itself has come back,
 * and probes again periodically: a proxy that does not carry notifications (PgBouncer in transaction mode)
 * or a silently dead connection then reads as "not hearing" instead of as quiet. When the connection drops
 * or a probe goes missing, it says so through `onHearing` and reconnects with backoff.
 */
export class NotificationListener {
  private client: pg.Client | undefined;
  private retryMs = RETRY_MS.first;
  private retry: NodeJS.Timeout | undefined;
  private probing: { token: string; timer: NodeJS.Timeout } | undefined;
  private nextProbe: NodeJS.Timeout | undefined;
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
    this.stopTimers();
    const client = this.client;
    this.client = undefined;
    this.o.onHearing(false);
    await client?.end().catch(() => undefined);
  }

  private stopTimers(): void {
    clearTimeout(this.retry);
    clearTimeout(this.nextProbe);
    clearTimeout(this.probing?.timer);
    this.probing = undefined;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.o.url,
      ssl: this.o.ssl === 'off' ? undefined : { rejectUnauthorized: this.o.ssl === 'verify' },
      application_name: 'nexa-crm-listener',
    });
    this.client = client;
    client.on('error', (err) => this.lost(client, err.message));
    client.on('end', () => this.lost(client, 'the connection ended'));
    client.on('notification', (n) => {
      if (n.channel !== this.o.channel || n.payload === undefined) return;
      if (n.payload.startsWith(PROBE)) this.probeCameBack(client, n.payload);
      else this.o.onMessage(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.o.channel.replace(/"/g, '""')}"`);
    } catch (err) {
      return this.lost(client, (err as Error).message);
    }
    this.probe(client);
  }

  private probe(client: pg.Client): void {
    if (this.client !== client) return;
    const token = `${PROBE}${crypto.randomUUID()}`;
    const timer = setTimeout(
      () => this.lost(client, `a probe did not come back within ${this.probeTimeoutMs} ms`),
      this.probeTimeoutMs,
    );
    timer.unref();
    this.probing = { token, timer };
    client.query('SELECT pg_notify($1, $2)', [this.o.channel, token]).catch((err: Error) => {
      this.lost(client, err.message);
    });
  }

  private probeCameBack(client: pg.Client, token: string): void {
    if (this.client !== client || this.probing?.token !== token) return;
    clearTimeout(this.probing.timer);
    this.probing = undefined;
    this.retryMs = RETRY_MS.first;
    this.o.onHearing(true);
    this.nextProbe = setTimeout(() => this.probe(client), this.o.probeEveryMs ?? 30_000);
    this.nextProbe.unref();
  }

  private get probeTimeoutMs(): number {
    return this.o.probeTimeoutMs ?? 5_000;
  }

  private lost(client: pg.Client, why: string): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.stopTimers();
    this.o.onHearing(false);
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.o.logger.warn(
      `Not hearing PostgreSQL notifications on ${this.o.channel} (${why}); retrying in ${this.retryMs} ms`,
    );
    this.retry = setTimeout(() => void this.connect(), this.retryMs);
    this.retry.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MS.max);
  }
}
