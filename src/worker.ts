import { buildContainer } from './container';
import { openDatabase } from './db/database';
import { createLogger } from './logger';
import { configOrExit, exitAfterLogs, exitWithStartError, onStopSignal } from './process-lifecycle';

/**
 * `npm run worker`: runs the background jobs (email sending) in a process of its own, for deployments
 * whose API instances set QUEUE_WORKER_IN_PROCESS=false. It takes jobs from Redis until SIGTERM, then
 * finishes the ones it is running.
 */
async function main(): Promise<void> {
  const config = configOrExit();
  if (!config.redis.url) {
    process.stderr.write(
      'The worker takes its jobs from Redis: set REDIS_URL (the API runs jobs itself without it).\n',
    );
    process.exit(1);
  }
  const logger = createLogger(config.log);
  const db = await openDatabase(config, logger);
  const c = buildContainer(
    // It authenticates no one: no caller cache, so no connection held open listening for user changes.
    {
      ...config,
      queue: { ...config.queue, workerInProcess: true },
      auth: { ...config.auth, callerCacheSeconds: 0 },
    },
    logger,
    db.sequelize,
  );
  const pending = await c.migrator.pending();
  if (pending.length) logger.warn(`${pending.length} migration(s) pending: run "npm run migrate"`);
  logger.info(`Worker started (concurrency ${config.queue.concurrency})`);

  const stop = async (signal: string) => {
    logger.info(`${signal} received: finishing running jobs`);
    c.realtime.stop();
    await c.close();
    await db.close();
    logger.info('Worker stopped cleanly');
    exitAfterLogs(logger);
  };
  onStopSignal(stop);
}

main().catch(exitWithStartError('The worker'));
