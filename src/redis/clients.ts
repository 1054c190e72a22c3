import { Redis } from 'ioredis';
import type { Logger } from '../logger';

/**
 * The Redis connections of one process, opened on demand and closed together. Pub/sub subscribers and
 * BullMQ's blocking worker each hold a connection of their own; everything else shares one.
 */
export class RedisClients {
  private readonly open: Redis[] = [];
  private shared: Redis | undefined;

  constructor(
    private readonly url: string,
    /** Prefix of every key and channel (REDIS_KEY_PREFIX). */
    readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /** The connection for plain commands (rate-limit counts, publishing, adding jobs). */
  get commands(): Redis {
    this.shared ??= this.connect('commands');
    return this.shared;
  }

  /**
   * A connection of its own. `blocking`: commands wait for Redis to come back instead of failing after a
   * few retries, as BullMQ's worker requires.
   */
  connect(name: string, opts: { blocking?: boolean } = {}): Redis {
    const client = new Redis(this.url, {
      connectionName: `nexa-${name}`,
      ...(opts.blocking ? { maxRetriesPerRequest: null } : {}),
    });
    // ioredis reconnects by itself; without a listener each failed attempt would be an unhandled error.
    client.on('error', (err: Error) => this.logger.warn(`Redis (${name}): ${err.message}`));
    this.open.push(client);
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.open.map((c) => c.quit().catch(() => c.disconnect())));
    this.open.length = 0;
    this.shared = undefined;
  }
}
