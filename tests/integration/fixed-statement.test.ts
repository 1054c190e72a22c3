import { Writable } from 'node:stream';
import { DatabaseError, type Sequelize } from 'sequelize';
import winston from 'winston';
import { MAX_PREPARED_PER_CONNECTION, selectFixed, statementName } from '../../src/db/fixed-statement';
import { createSequelize, type ConnectionOptions } from '../../src/db/sequelize';

/** The driver-level path for hot reads: rows as a raw query reads them, failures as Sequelize's, no leaks. */
let sequelize: Sequelize;

const connect = (options: Partial<ConnectionOptions> & { poolMax: number }): Sequelize =>
  createSequelize({ url: process.env.DATABASE_URL!, ssl: 'off', statementTimeoutMs: 10_000, ...options });

beforeAll(() => {
  sequelize = connect({ poolMax: 2 });
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
    const rows = await selectFixed<{ v: number }>(sequelize, 'SELECT v FROM fixed_statement_probe', [], {
      transaction,
      prepare: true,
    });
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
  const debugging = connect({ poolMax: 1, logger });
  try {
    await selectFixed(debugging, 'SELECT $1::int AS probe_for_the_log', [1]);
    expect(logged.join('')).toContain('Executing (default): SELECT $1::int AS probe_for_the_log');
  } finally {
    await debugging.close();
  }
});

// The embedded database never prepares (its connections share one session, see database.ts): on it, the
// session-per-connection behaviour these tests rely on does not exist.
const onServer = process.env.TEST_DATABASE_KIND !== 'embedded';

(onServer ? describe : describe.skip)('with DATABASE_PREPARED_STATEMENTS', () => {
  // One connection, so every call below runs on the connection the previous one used.
  let single: Sequelize;
  const prepared = async () =>
    (
      await selectFixed<{ statement: string }>(single, 'SELECT statement FROM pg_prepared_statements', [])
    ).map((r) => r.statement);

  beforeEach(() => {
    single = connect({ poolMax: 1, preparedStatements: true });
  });
  afterEach(() => single.close());

  it('prepares a statement of fixed shape once on the connection, and only such a statement', async () => {
    const fixed = 'SELECT $1::int + 1 AS next_of_a_fixed_shape';
    const chosen = 'SELECT $1::int + 2 AS next_of_a_chosen_shape';
    for (let i = 0; i < 3; i++) {
      expect(await selectFixed(single, fixed, [i], { prepare: true })).toEqual([
        { next_of_a_fixed_shape: i + 1 },
      ]);
      await selectFixed(single, chosen, [i]);
    }
    expect(await prepared()).toEqual([fixed]);
  });

  it('keeps at most MAX_PREPARED_PER_CONNECTION statements on a connection, and runs further shapes unnamed', async () => {
    const shape = (i: number) => `SELECT $1::int + ${i} AS shape_${i}`;
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 5; i++) {
      expect(await selectFixed(single, shape(i), [1], { prepare: true })).toEqual([
        { [`shape_${i}`]: 1 + i },
      ]);
    }
    // Those it holds still run prepared; the rest still answer.
    expect(await selectFixed(single, shape(0), [2], { prepare: true })).toEqual([{ shape_0: 2 }]);
    const last = MAX_PREPARED_PER_CONNECTION + 4;
    expect(await selectFixed(single, shape(last), [2], { prepare: true })).toEqual([
      { [`shape_${last}`]: 2 + last },
    ]);
    const held = await prepared();
    expect(held).toHaveLength(MAX_PREPARED_PER_CONNECTION);
    expect(new Set(held)).toEqual(
      new Set(Array.from({ length: MAX_PREPARED_PER_CONNECTION }, (_, i) => shape(i))),
    );
  });

  it('prepares nothing on an instance without the setting', async () => {
    await selectFixed(sequelize, 'SELECT $1::int AS unprepared', [1], { prepare: true });
    const statements = await Promise.all(
      Array.from({ length: 2 }, () =>
        selectFixed<{ statement: string }>(sequelize, 'SELECT statement FROM pg_prepared_statements', []),
      ),
    );
    expect(statements.flat()).toEqual([]);
  });

  it('answers when a migration changed a column under a prepared statement, and replaces the connection', async () => {
    const table = `fixed_statement_stale_${process.pid}`;
    await single.query(`CREATE TABLE ${table} (v int)`);
    try {
      await single.query(`INSERT INTO ${table} VALUES (7)`);
      const read = `SELECT v FROM ${table}`;
      expect(await selectFixed(single, read, [], { prepare: true })).toEqual([{ v: 7 }]);
      const [before] = await selectFixed<{ pid: number }>(single, 'SELECT pg_backend_pid() AS pid', []);

      await single.query(`ALTER TABLE ${table} ALTER COLUMN v TYPE text`);
      expect(await selectFixed(single, read, [], { prepare: true })).toEqual([{ v: '7' }]);

      const [after] = await selectFixed<{ pid: number }>(single, 'SELECT pg_backend_pid() AS pid', []);
      expect(after!.pid).not.toBe(before!.pid);
      expect(await selectFixed(single, read, [], { prepare: true })).toEqual([{ v: '7' }]);
      expect(await prepared()).toEqual([read]);
    } finally {
      await single.query(`DROP TABLE ${table}`);
    }
  });

  it.each([
    ['forgot the statement (DISCARD ALL behind a pooler)', 'DEALLOCATE ALL', true],
    ['already holds it, prepared by another client', 'PREPARE', false],
  ])('answers when the session %s, and replaces the connection', async (_, action, preparedFirst) => {
    const read = 'SELECT $1::int * 2 AS doubled';
    if (preparedFirst)
      expect(await selectFixed(single, read, [2], { prepare: true })).toEqual([{ doubled: 4 }]);
    const [before] = await selectFixed<{ pid: number }>(single, 'SELECT pg_backend_pid() AS pid', []);
    await single.query(action === 'PREPARE' ? `PREPARE ${statementName(read)} AS ${read}` : action);

    expect(await selectFixed(single, read, [3], { prepare: true })).toEqual([{ doubled: 6 }]);
    const [after] = await selectFixed<{ pid: number }>(single, 'SELECT pg_backend_pid() AS pid', []);
    expect(after!.pid).not.toBe(before!.pid);
    expect(await selectFixed(single, read, [4], { prepare: true })).toEqual([{ doubled: 8 }]);
  });
});
