import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { RedisClients } from '../../redis/clients';
import { BullQueue } from './bullmq-queue';
import { InProcessQueue } from './in-process-queue';
import type { JobHandler, JobQueue, RetryPolicy } from './job-queue';

/** A queue of one kind of job: on Redis when configured (the worker here only if QUEUE_WORKER_IN_PROCESS). */
export function createJobQueue<T extends object>(
  name: string,
  handler: JobHandler<T>,
  policy: RetryPolicy,
  config: Config['queue'],
  redis: RedisClients | undefined,
  logger: Logger,
): JobQueue<T> {
  if (!redis) return new InProcessQueue(name, handler, policy, config, logger);
  return new BullQueue(
    name,
    config.workerInProcess ? handler : undefined,
    policy,
    config.concurrency,
    redis,
    logger,
  );
}
