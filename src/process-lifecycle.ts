import { ConfigError, loadConfig, type Config } from './config';
import type { Logger } from './logger';

/*
 * What the two entry points (the API in index.ts, the job worker in worker.ts) do the same way at start
 * and stop. Only they import this: it is the process side of the app.
 */

/** The configuration, or the reason it is invalid on stderr and exit 1 (a stack trace would hide it). */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
    process.exit(1);
  }
}

/** Runs `stop` on the first SIGTERM (ECS, Docker, Elastic Beanstalk) or SIGINT (Ctrl-C). */
export function onStopSignal(stop: (signal: string) => Promise<void>): void {
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** Exits once the logger's file transports have flushed, or after a second if they never say so. */
export function exitAfterLogs(logger: Logger): void {
  logger.on('finish', () => process.exit(0));
  logger.end();
  setTimeout(() => process.exit(0), 1000).unref();
}

/** For `main().catch(...)`: says why the process could not start, then exits 1. */
export const exitWithStartError =
  (what: string) =>
  (err: unknown): never => {
    process.stderr.write(
      `${what} could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  };
