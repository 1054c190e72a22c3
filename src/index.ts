import type { Server } from 'node:http';
import { seedDemoData } from '../seeders';
import { createApp } from './app';
import { ensureFirstAdmin, type FirstAdmin } from './bootstrap';
import type { Config } from './config';
import { buildContainer, type Container } from './container';
import { openDatabase, type Database } from './db/database';
import { createLogger, type Logger } from './logger';
import { configOrExit, exitAfterLogs, exitWithStartError, onStopSignal } from './process-lifecycle';
import { attachSocketServer, type RealtimeSockets } from './realtime/socket-server';

const HOUR_MS = 3_600_000;

/** The API process: start, serve, and stop cleanly (worker.ts is the job-worker process). */
async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.log);
  const db = await openDatabase(config, logger);
  const c = buildContainer(config, logger, db.sequelize);

  if (config.migrateOnStart) {
    const applied = await c.migrator.up();
    if (applied.length) logger.info(`Applied migrations: ${applied.join(', ')}`);
  } else {
    const pending = await c.migrator.pending();
    if (pending.length)
      logger.warn(`${pending.length} migration(s) pending and MIGRATE_ON_START=false: run "npm run migrate"`);
  }
  // Imports that a previous run of a server left running died with it.
  await c.importJobs.recoverAbandoned();
  const admin = await ensureFirstAdmin(c);
  if (config.seedDemo) {
    // Sample data is a convenience: failing to load it must not keep the server from starting.
    await seedDemoData(c, admin.organizationId).then(
      (counts) => counts && logger.info('Loaded the demo data'),
      (err: unknown) =>
        logger.warn(`Demo data not loaded: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  const server = createApp(c).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const sockets = attachSocketServer(server, c);
  c.expiredTokens.start(HOUR_MS);
  announce(config, db, admin, server);
  handleShutdown(server, db, c, sockets, config.http.shutdownTimeoutMs, logger);
}

/** Printed to stdout, not logged: a generated password must never reach a log file. */
function announce(config: Config, db: Database, admin: FirstAdmin, server: Server): void {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const lines = [
    '',
    `  Nexa CRM is running at http://localhost:${port}  (${config.env})`,
    `  Database: ${db.description}`,
    admin.generatedPassword
      ? `  Admin login: ${admin.email} / ${admin.generatedPassword}   (generated now and shown only this once)`
      : `  Admin login: ${admin.email}${admin.created ? ' with ADMIN_PASSWORD' : ''}`,
    `  Try: curl -X POST http://localhost:${port}/api/v1/auth/login -H 'content-type: application/json' \\`,
    `         -d '{"email":"${admin.email}","password":"..."}'`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function handleShutdown(
  server: Server,
  db: Database,
  {
    lifecycle,
    realtime,
    inFlight,
    importJobs,
    close,
  }: Pick<Container, 'lifecycle' | 'realtime' | 'inFlight' | 'importJobs' | 'close'>,
  sockets: RealtimeSockets,
  timeoutMs: number,
  logger: Logger,
): void {
  const stop = async (signal: string) => {
    if (lifecycle.shuttingDown) return;
    lifecycle.shuttingDown = true;
    logger.info(`${signal} received: finishing in-flight requests`);
    // Realtime connections never finish on their own: end them (telling clients why) so the server drains.
    realtime.stop();
    sockets.close();
    const force = setTimeout(() => {
      logger.warn(`Requests still open after ${timeoutMs} ms: closing them`);
      server.closeAllConnections();
    }, timeoutMs);
    force.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    // Handlers whose client left run on after the server closed, and background imports too: they get the
    // same grace period. An import cut off rolls back whole when the database closes.
    await Promise.race([
      Promise.all([inFlight.idle(), importJobs.idle()]),
      new Promise((r) => setTimeout(r, timeoutMs).unref()),
    ]);
    // Emails being handed to the provider finish (and are recorded) before the database goes.
    await close();
    await db.close();
    logger.info('Stopped cleanly');
    exitAfterLogs(logger);
  };
  onStopSignal(stop);
}

main().catch(exitWithStartError('Nexa CRM'));
