import { Writable } from 'node:stream';
import { DatabaseError, type Sequelize } from 'sequelize';
import winston from 'winston';
import { selectFixed } from '../../src/db/fixed-statement';
import { createSequelize } from '../../src/db/sequelize';

/** The driver-level path for hot reads: rows as a raw query reads them, failures as Sequelize's, no leaks. */
let sequelize: Sequelize;

beforeAll(() => {
  sequelize = createSequelize({
    url: process.env.DATABASE_URL!,
    ssl: 'off',
    poolMax: 2,
    statementTimeoutMs: 10_000,
  });
});
afterAll(() => sequelize.close());

it('reads rows with bound values, typed as node-postgres reads them', async () => {
  const rows = await selectFixed<{ n: number; at: Date; label: string }>(
    sequelize,
    `SELECT $1::int AS n, '2026-01-02T03:04:05Z'::timestamptz AS at, $2::text AS label`,
    [41, "it's bound"],
  );
  expect(rows).toEqual([{ n: 41, at: new Date('2026-01-02T03:04:05Z'), label: "it's bound" }]);
});

it('reports a failing statement as a Sequelize DatabaseError carrying the SQLSTATE', async () => {
  const failure = await selectFixed(sequelize, 'SELECT $1::uuid AS id', ['not-a-uuid']).catch(
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(DatabaseError);
  expect((failure as DatabaseError).parent).toMatchObject({ code: '22P02' });
});

it('returns every connection to the pool, after failures too', async () => {
  // Twice the pool's size: a connection kept after a failure would leave the last calls waiting forever.
  for (let i = 0; i < 4; i++) await expect(selectFixed(sequelize, 'SELECT 1/0', [])).rejects.toThrow();
  const reads = await Promise.all(
    Array.from({ length: 6 }, (_, i) => selectFixed<{ i: number }>(sequelize, 'SELECT $1::int AS i', [i])),
  );
  expect(reads.map(([row]) => row!.i)).toEqual([0, 1, 2, 3, 4, 5]);
});

it('runs inside a transaction on its connection, seeing what the transaction wrote', async () => {
  await sequelize.transaction(async (transaction) => {
    await sequelize.query('CREATE TEMP TABLE fixed_statement_probe (v int) ON COMMIT DROP', { transaction });
    await sequelize.query('INSERT INTO fixed_statement_probe VALUES (7)', { transaction });
    const rows = await selectFixed<{ v: number }>(
      sequelize,
      'SELECT v FROM fixed_statement_probe',
      [],
      transaction,
    );
    expect(rows).toEqual([{ v: 7 }]);
  });
});

it('shows its statements in the debug log, as Sequelize shows its own', async () => {
  const logged: string[] = [];
  const logger = winston.createLogger({
    level: 'debug',
    transports: [
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk, _encoding, done) {
            logged.push(String(chunk));
            done();
          },
        }),
      }),
    ],
  });
  const debugging = createSequelize({
    url: process.env.DATABASE_URL!,
    ssl: 'off',
    poolMax: 1,
    statementTimeoutMs: 10_000,
    logger,
  });
  try {
    await selectFixed(debugging, 'SELECT $1::int AS probe_for_the_log', [1]);
    expect(logged.join('')).toContain('Executing (default): SELECT $1::int AS probe_for_the_log');
  } finally {
    await debugging.close();
  }
});
