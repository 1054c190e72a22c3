import type { RecordBatch, RecordChange } from '../events';

/**
 * Where the realtime broker hears of committed changes. In one process that is the `ChangeEvents` bus
 * itself; with REDIS_URL it is `RedisChangeFeed`, which hands every instance's changes to its listeners,
 * so a subscriber hears of writes that another instance served.
 */
export interface ChangeFeed {
  on(listener: (change: RecordChange) => void): () => void;
  /** Batches of created records named by id (large imports); see `RecordBatch`. */
  onBatch(listener: (batch: RecordBatch) => void): () => void;
}
