import { startEmbeddedPostgres } from '../../src/db/embedded';

/**
 * An in-memory embedded PostgreSQL in a process of its own, for `freshDatabase`: PGlite loads its WebAssembly
 * with a dynamic import, which a Jest test file's sandbox refuses. Prints its URL, and stops when told to or
 * when the test process that started it goes away (its stdin closes).
 */
void (async () => {
  const db = await startEmbeddedPostgres(undefined, Number(process.argv[2] ?? 4));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void db.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.stdin.on('end', stop).resume();
  process.stdout.write(`${db.url}\n`);
})();
