import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGliteServer } from './pglite-server';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port (PGliteServer) so the app connects to
 * it with the ordinary `pg` driver: development runs the same SQL as production, with nothing to install.
 * Without a data directory the database lives in memory.
 *
 * PGlite is a single session: while one connection holds a transaction the others wait, so every query
 * inside a transaction must carry it (it does, throughout the service layer).
 */
export async function startEmbeddedPostgres(
  dataDir: string | undefined,
  maxConnections = 4,
): Promise<EmbeddedPostgres> {
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const releaseLock = dataDir ? takeLock(`${dataDir}.lock`) : () => undefined;
  try {
    // pg_trgm: the migrations create it for the search indexes, as on a PostgreSQL server.
    const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm } });
    const server = new PGliteServer(db, maxConnections);
    const address = await server.listen('127.0.0.1');
    return {
      url: `postgres://postgres@${address}/postgres`,
      async stop() {
        await server.stop();
        await db.close();
        releaseLock();
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/** Two processes writing one PGlite directory would corrupt it; a pid file keeps the second one out. */
function takeLock(lockFile: string): () => void {
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number(fs.readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `The embedded database at ${path.dirname(lockFile)} is in use by process ${holder}. ` +
          'Stop that process first, or set DATABASE_URL to use a PostgreSQL server.',
        { cause: err },
      );
    }
    fs.writeFileSync(lockFile, String(process.pid));
  }
  return () => fs.rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
