import type { Redis } from 'ioredis';
import type { EntityRegistry } from '../crud/registry';
import type { ChangeEvents, RecordBatch, RecordChange } from '../events';
import type { Logger } from '../logger';
import type { ChangeFeed } from './change-feed';

type Row = Record<string, unknown>;
type Message = ({ kind: 'change' } & RecordChange) | ({ kind: 'batch' } & RecordBatch);

/**
 * Committed changes of every instance, through Redis pub/sub. Each instance publishes its own changes
 * and hears them back on the same channel with everyone else's, so all instances see one order and a
 * subscriber connected anywhere hears of a write served anywhere.
 */
export class RedisChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<(change: RecordChange) => void>();
  private readonly batchListeners = new Set<(batch: RecordBatch) => void>();
  private readonly stopPublishing: Array<() => void>;
  private readonly ready: Promise<unknown>;

  constructor(
    local: ChangeEvents,
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly registry: EntityRegistry,
    private readonly logger: Logger,
  ) {
    this.stopPublishing = [local.on(this.publish), local.onBatch(this.publishBatch)];
    subscriber.on('message', this.receive);
    this.ready = subscriber.subscribe(channel);
  }

  /** Resolves once this instance hears the channel (a change published before then would be missed). */
  whenReady(): Promise<unknown> {
    return this.ready;
  }

  on(listener: (change: RecordChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onBatch(listener: (batch: RecordBatch) => void): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const stop of this.stopPublishing) stop();
    this.subscriber.off('message', this.receive);
    await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }

  private publish = (change: RecordChange): void => {
    this.send({
      kind: 'change',
      ...change,
      stored: this.withoutHidden(change.entity, change.stored),
      ...(change.previous ? { previous: this.withoutHidden(change.entity, change.previous) } : {}),
    });
  };

  // Batches share the changes' channel so every instance hears both in the order they were committed.
  private publishBatch = (batch: RecordBatch): void => this.send({ kind: 'batch', ...batch });

  private send(message: Message): void {
    this.publisher.publish(this.channel, JSON.stringify(message)).catch((err: unknown) => {
      this.logger.error(`Realtime change not published: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private receive = (channel: string, message: string): void => {
    if (channel !== this.channel) return;
    let parsed: Message;
    try {
      parsed = JSON.parse(message) as Message;
    } catch {
      this.logger.error('Realtime: a change message on Redis was not JSON; skipped');
      return;
    }
    if (parsed.kind === 'batch') {
      const { kind: _kind, ...batch } = parsed;
      for (const listener of this.batchListeners) listener(batch);
      return;
    }
    const { kind: _kind, ...change } = parsed;
    change.stored = this.withDates(change.entity, change.stored);
    if (change.previous) change.previous = this.withDates(change.entity, change.previous);
    for (const listener of this.listeners) listener(change);
  };

  /** Secrets (password and token hashes, storage keys) never travel: listeners only need what readers may see and owners. */
  private withoutHidden(entity: string, row: Row): Row {
    const fields = this.registry.byName(entity)?.decl.fields ?? {};
    return Object.fromEntries(Object.entries(row).filter(([name]) => !fields[name]?.spec.hidden));
  }

  /** JSON turned the stored row's timestamps into strings; listeners get rows as the database gave them. */
  private withDates(entity: string, row: Row): Row {
    const fields = this.registry.byName(entity)?.decl.fields ?? {};
    const out: Row = { ...row };
    for (const [name, value] of Object.entries(row)) {
      if (typeof value === 'string' && fields[name]?.spec.kind === 'timestamp') out[name] = new Date(value);
    }
    return out;
  }
}
