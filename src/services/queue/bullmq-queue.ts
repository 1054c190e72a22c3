import { Queue, Worker } from 'bullmq';
import type { Logger } from '../../logger';
import type { RedisClients } from '../../redis/clients';
import type { JobHandler, JobQueue, RetryPolicy } from './job-queue';

/**
 * A queue on Redis (BullMQ): any instance adds jobs, and whichever process runs a worker — the API itself,
 * or `npm run worker` — takes them, with retries and exponential backoff kept in Redis.
 */
export class BullQueue<T extends object> implements JobQueue<T> {
  private readonly queue: Queue;
  private readonly worker: Worker<T> | undefined;

  constructor(
    private readonly name: string,
    handler: JobHandler<T> | undefined,
    private readonly policy: RetryPolicy,
    concurrency: number,
    redis: RedisClients,
    private readonly logger: Logger,
  ) {
    const prefix = `${redis.prefix}:bull`;
    this.queue = new Queue(name, { connection: redis.commands, prefix });
    // Without a listener BullMQ prints connection errors to the console, outside the log.
    this.queue.on('error', (err) => logger.warn(`The ${name} queue: ${err.message}`));
    if (handler) {
      this.worker = new Worker<T>(
        name,
        async (job) => {
          const number = job.attemptsMade + 1;
          await handler(job.data, { number, final: number >= policy.attempts });
        },
        { connection: redis.connect(`${name}-worker`, { blocking: true }), prefix, concurrency },
      );
      this.worker.on('failed', (job, err) =>
        logger.warn(`A ${name} job failed on attempt ${job?.attemptsMade ?? '?'}: ${err.message}`),
      );
      this.worker.on('error', (err) => logger.error(`The ${name} worker: ${err.message}`));
    }
  }

  async add(data: T): Promise<void> {
    await this.queue.add(this.name, data, {
      attempts: this.policy.attempts,
      backoff: { type: 'exponential', delay: this.policy.backoffMs },
      // Outcomes are recorded by the handler (on the Email row); a job's data can hold a one-time link, so
      // none is kept in Redis once it is over.
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  async close(): Promise<void> {
    // Worker.close waits for the jobs it is running; the others stay in Redis for the next worker.
    await this.worker?.close();
    await this.queue.close();
    this.logger.debug(`The ${this.name} queue is closed`);
  }
}
