import type { Logger } from '../../logger';
import { backoff, type JobHandler, type JobQueue, type RetryPolicy } from './job-queue';

interface Job<T> {
  data: T;
  attempt: number;
}

/**
 * The queue of a single instance: jobs run in this process, at most `concurrency` at a time, with the same
 * retries and backoff as the Redis queue. Jobs live in memory, so a stopping instance runs what it holds
 * before it goes: the jobs still waiting their turn, and those waiting for a retry, which get their last
 * attempt at once (no later one would come). Only what is still unstarted after `drainMs` is dropped, with
 * a warning.
 */
export class InProcessQueue<T> implements JobQueue<T> {
  private readonly waiting: Job<T>[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly retries = new Map<NodeJS.Timeout, Job<T>>();
  /** No new jobs are taken; the ones held are run as last attempts. */
  private closing = false;
  /** Nothing more is started. */
  private closed = false;

  constructor(
    private readonly name: string,
    private readonly handler: JobHandler<T>,
    private readonly policy: RetryPolicy,
    private readonly options: { concurrency: number; drainMs: number },
    private readonly logger: Logger,
  ) {}

  async add(data: T): Promise<void> {
    if (this.closing) throw new Error(`The ${this.name} queue is closed`);
    this.waiting.push({ data, attempt: 1 });
    this.pump();
  }

  async close(): Promise<void> {
    if (this.closing) return this.finished();
    this.closing = true;
    for (const [timer, job] of this.retries) {
      clearTimeout(timer);
      this.waiting.push(job);
    }
    this.retries.clear();
    this.pump();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.finished(),
      new Promise((resolve) => (timer = setTimeout(resolve, this.options.drainMs))),
    ]);
    clearTimeout(timer);
    this.closed = true;
    await this.finished();
    if (this.waiting.length) {
      this.logger.warn(
        `${this.waiting.length} ${this.name} job(s) were not run: the process stopped before their turn came`,
      );
      this.waiting.length = 0;
    }
  }

  /** Resolves once nothing runs (and so nothing waits, unless the queue is closed). */
  private async finished(): Promise<void> {
    while (this.running.size) await Promise.race(this.running);
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.options.concurrency && this.waiting.length) {
      const job = this.waiting.shift()!;
      const run = this.run(job).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run({ data, attempt }: Job<T>): Promise<void> {
    const final = attempt >= this.policy.attempts || this.closing;
    try {
      await this.handler(data, { number: attempt, final });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (final) {
        this.logger.warn(`A ${this.name} job failed on attempt ${attempt} and is not retried: ${reason}`);
        return;
      }
      const retry = { data, attempt: attempt + 1 };
      if (this.closing) {
        // Its last attempt, at once: no later one would come.
        this.waiting.push(retry);
        return;
      }
      const timer = setTimeout(
        () => {
          this.retries.delete(timer);
          this.waiting.push(retry);
          this.pump();
        },
        backoff(this.policy, attempt + 1),
      );
      this.retries.set(timer, retry);
    }
  }
}
