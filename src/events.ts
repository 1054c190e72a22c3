import { EventEmitter } from 'node:events';
import type { Actor } from './context';

export type ChangeType = 'create' | 'update' | 'delete';

/** A committed change to a record, as later listeners (realtime, webhooks, audit) see it. */
export interface RecordChange {
  type: ChangeType;
  entity: string;
  organizationId: string;
  id: string;
  /** The stored record (for deletes, as it was), without hidden fields: what may be shown to readers. */
  record: Record<string, unknown>;
  /** The full stored row, hidden fields included: for server-side listeners only, never sent anywhere. */
  stored: Record<string, unknown>;
  /** On update, the full row as it was before (server-side only, like `stored`). */
  previous?: Record<string, unknown>;
  actor: Actor | null;
  timestamp: string;
}

/**
 * Many records created by one committed write, named by id only: what a large import announces instead of
 * one `RecordChange` per row, so it does not hold every created row in memory until it commits. A listener
 * that needs the records reads them (the realtime broker does, and only when someone follows the entity).
 */
export interface RecordBatch {
  type: 'create';
  entity: string;
  organizationId: string;
  ids: string[];
  actor: Actor | null;
  timestamp: string;
}

/** In-process fan-out of committed changes. Emitted only after the transaction commits. */
export class ChangeEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit(change: RecordChange): void {
    this.emitter.emit('change', change);
  }

  emitBatch(batch: RecordBatch): void {
    this.emitter.emit('batch', batch);
  }

  on(listener: (change: RecordChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  onBatch(listener: (batch: RecordBatch) => void): () => void {
    this.emitter.on('batch', listener);
    return () => this.emitter.off('batch', listener);
  }
}
