import type { RecordBatch, RecordChange } from '../events';

/**
 * Where the realtime broker hears of committed changes. In one process that is the `ChangeEvents` bus
 * itself. With several instances behind a load balancer, a Redis pub/sub implementation goes here: it
 * publishes each local change to a channel and hands every instance's changes to its listeners, so a
 * subscriber hears of writes that another instance served (revive the Dates in `stored` on the way in).
 */
export interface ChangeFeed {
  on(listener: (change: RecordChange) => void): () => void;
  /** Batches of created records named by id (large imports); see `RecordBatch`. */
  onBatch(listener: (batch: RecordBatch) => void): () => void;
}
