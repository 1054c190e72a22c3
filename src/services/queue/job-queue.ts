/** Where a job stands when its handler runs. */
export interface Attempt {
  /** 1 for the first run. */
  number: number;
  /** No retry follows if this one fails. */
  final: boolean;
}

/**
 * Runs a job. Throwing asks for a retry (after the queue's backoff) until the attempts run out; a handler
 * that records its own outcome returns normally when retrying would not help.
 */
export type JobHandler<T> = (data: T, attempt: Attempt) => Promise<void>;

export interface RetryPolicy {
  attempts: number;
  /** Wait before the first retry; each further one waits twice as long. */
  backoffMs: number;
}

/** Background jobs of one kind: in this process without Redis, on BullMQ with it. */
export interface JobQueue<T> {
  add(data: T): Promise<void>;
  /** Stops taking jobs and waits for the running ones to finish. */
  close(): Promise<void>;
}

/** The wait before attempt `next` (2, 3, …). */
export const backoff = (policy: RetryPolicy, next: number): number => policy.backoffMs * 2 ** (next - 2);
