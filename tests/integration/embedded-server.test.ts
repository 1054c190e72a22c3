import { Client } from 'pg';
import { embeddedServer } from '../setup/test-database';

/**
 * The embedded database's server: one PGlite session shared by several connections. Each connection's
 * statements must run whole and apart from the others', and an open transaction belongs to its connection.
 */
const LIMIT = 6;
let db: { url: string; drop(): Promise<void> };
let setup: Client;
/** The connections a test opened; closed after it. */
let opened: Client[] = [];

async function connect(): Promise<Client> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  opened.push(client);
  return client;
}

beforeAll(async () => {
  db = await embeddedServer(LIMIT);
  setup = new Client({ connectionString: db.url });
  await setup.connect();
  await setup.query('CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)');
  await setup.query(`INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 50) g`);
}, 60_000);
afterEach(async () => {
  await Promise.all(opened.map((c) => c.end().catch(() => undefined)));
  opened = [];
});
afterAll(async () => {
  await setup.end();
  await db.drop();
});

it('keeps a statement whose parameters arrive in many packets apart from the others', async () => {
  const [big, small] = await Promise.all([connect(), connect()]);
  // A parameter of 4 MB reaches the server in many reads; meanwhile the other connection keeps asking.
  const text = 'x'.repeat(4 * 1024 * 1024);
  let stop = false;
  const chatter = (async () => {
    const seen: number[] = [];
    for (let i = 0; !stop; i++) {
      const { rows } = await small.query('SELECT $1::int + 1 AS next', [i]);
      seen.push((rows[0]?.next as number) - 1 - i);
    }
    return seen;
  })();
  const lengths: number[] = [];
  for (let round = 0; round < 5; round++) {
    const { rows } = await big.query('SELECT length($1::text) AS n, $2::int AS round', [text, round]);
    lengths.push(rows[0]?.n as number, rows[0]?.round as number);
  }
  stop = true;
  const offsets = await chatter;
  expect(lengths).toEqual([0, 1, 2, 3, 4].flatMap((round) => [text.length, round]));
  expect(offsets.length).toBeGreaterThan(0);
  expect(offsets.every((d) => d === 0)).toBe(true);
});

it('answers concurrent statements of different shapes on four connections, each with its own parameters', async () => {
  const four = await Promise.all([connect(), connect(), connect(), connect()]);
  const asked = Array.from({ length: 200 }, (_, i) => i);
  const answers: string[] = [];
  // Each connection asks its share one after another; the four ask at the same time.
  await Promise.all(
    four.map(async (client, k) => {
      for (const i of asked.filter((n) => n % 4 === k)) {
        if (i % 2 === 0) {
          const { rows } = await client.query('SELECT label FROM items WHERE id = $1', [(i % 50) + 1]);
          answers[i] = rows[0]?.label as string;
        } else {
          const { rows } = await client.query('SELECT $1::int * 2 AS twice, $2::text AS tag', [i, `t${i}`]);
          answers[i] = `${rows[0]?.twice as number}/${rows[0]?.tag as string}`;
        }
      }
    }),
  );
  expect(answers).toEqual(asked.map((i) => (i % 2 === 0 ? `item ${(i % 50) + 1}` : `${i * 2}/t${i}`)));
});

it("runs another connection's statements only once an open transaction ends, and sees what it committed", async () => {
  const [writer, reader] = await Promise.all([connect(), connect()]);
  await writer.query('BEGIN');
  await writer.query('INSERT INTO items VALUES (100, $1)', ['in a transaction']);
  let read: string[] | undefined;
  const reading = reader
    .query('SELECT label FROM items WHERE id = $1', [100])
    .then((r) => (read = r.rows.map((row) => row.label as string)));
  await new Promise((r) => setTimeout(r, 200));
  expect(read).toBeUndefined();
  await writer.query('UPDATE items SET label = $1 WHERE id = $2', ['committed', 100]);
  await writer.query('COMMIT');
  await reading;
  expect(read).toEqual(['committed']);
});

it('rolls back the transaction of a connection that goes away, and serves the others', async () => {
  const [leaver, other] = await Promise.all([connect(), connect()]);
  await leaver.query('BEGIN');
  await leaver.query('INSERT INTO items VALUES (200, $1)', ['abandoned']);
  const waiting = other.query('SELECT count(*)::int AS n FROM items WHERE id = $1', [200]);
  await leaver.end();
  expect((await waiting).rows[0].n).toBe(0);
});

it('turns away connections beyond its limit with an error a client can read', async () => {
  const extra = Array.from({ length: LIMIT + 2 }, () => new Client({ connectionString: db.url }));
  opened.push(...extra);
  const outcomes = await Promise.allSettled(extra.map((c) => c.connect()));
  const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  // One connection, the setup's, is open throughout.
  expect(refused).toHaveLength(3);
  expect(String(refused[0]!.reason)).toMatch(/too many connections/);
});
