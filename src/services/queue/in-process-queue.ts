import type { Logger } from '../../logger';
import { backoff, type JobHandler, type JobQueue, type RetryPolicy } from './job-queue';

/**
 * The queue of a single instance: jobs run in this process, at most `concurrency` at a time, with the same
 * retries and backoff as the Redis queue. Jobs live in memory: a retry still waiting when the process stops
 * is not run (its record keeps the last error).
 */
export class InProcessQueue<T> implements JobQueue<T> {
  private readonly waiting: { data: T; attempt: number }[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly name: string,
    private readonly handler: JobHandler<T>,
    private readonly policy: RetryPolicy,
    private readonly concurrency: number,
    private readonly logger: Logger,
  ) {}

  async add(data: T): Promise<void> {
    if (this.closed) throw new Error(`The ${this.name} queue is closed`);
    this.waiting.push({ data, attempt: 1 });
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    while (this.running.size) await Promise.all([...this.running]);
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency && this.waiting.length) {
      const job = this.waiting.shift()!;
      const run = this.run(job.data, job.attempt).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run(data: T, attempt: number): Promise<void> {
    const final = attempt >= this.policy.attempts;
    try {
      await this.handler(data, { number: attempt, final });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (final || this.closed) {
        this.logger.warn(`A ${this.name} job failed on attempt ${attempt} and is not retried: ${reason}`);
        return;
      }
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          if (this.closed) return;
          this.waiting.push({ data, attempt: attempt + 1 });
          this.pump();
        },
        backoff(this.policy, attempt + 1),
      );
      this.timers.add(timer);
    }
  }
}
