import { selectFixed } from '../../src/db/fixed-statement';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * A record by id is read with a statement PostgreSQL prepared once per connection, and so is the caller; a
 * field list the client chose is one more statement. A list's page and count are kept prepared when one plan
 * fits any of their values. The embedded database never prepares (its connections share one session).
 */
const onServer = process.env.TEST_DATABASE_KIND !== 'embedded';

(onServer ? describe : describe.skip)('prepared reads', () => {
  let t: TestApp;
  let org: Tenant;

  // One connection: the statements it holds are the ones every request prepared.
  const prepared = async (): Promise<string[]> =>
    (
      await selectFixed<{ statement: string }>(
        t.c.sequelize,
        'SELECT statement FROM pg_prepared_statements ORDER BY prepare_time',
        [],
      )
    ).map((r) => r.statement);

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_MAX: '1', CALLER_CACHE_SECONDS: '0' });
    org = await createTenant(t.c, 'Prepared Reads Org');
  });
  afterAll(() => t.close());

  it('reads a record by id and the caller with statements prepared once, and a chosen field list with one more', async () => {
    const created = await t.http
      .post('/api/v1/leads')
      .set(org.rep.auth)
      .send({ first_name: 'Ada', last_name: 'Prepared', email: 'ada@prepared.example.com' });
    expect(created.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const read = await t.http.get(`/api/v1/leads/${created.body.data.id}`).set(org.rep.auth);
      expect(read.status).toBe(200);
      expect(read.body.data).toMatchObject({ first_name: 'Ada', email: 'ada@prepared.example.com' });
    }
    const statements = await prepared();
    expect(statements.filter((s) => s.includes('FROM "leads"'))).toHaveLength(1);
    expect(statements.filter((s) => s.includes('FROM users WHERE id = $1'))).toHaveLength(1);

    const chosen = await t.http
      .get(`/api/v1/leads/${created.body.data.id}`)
      .query({ fields: 'first_name' })
      .set(org.rep.auth);
    expect(chosen.body.data).toEqual({ id: created.body.data.id, first_name: 'Ada' });
    const withChosen = await prepared();
    expect(withChosen.slice(0, statements.length)).toEqual(statements);
    expect(withChosen.slice(statements.length)).toEqual([
      expect.stringMatching(/^SELECT "id", "first_name" FROM "leads"/),
    ]);
  });

  describe('lists', () => {
    const statuses = ['new', 'contacted', 'new', 'qualified', 'contacted', 'new'];
    const list = (query: Record<string, string>) =>
      t.http.get('/api/v1/leads').query(query).set(org.rep.auth);

    beforeAll(async () => {
      const res = await t.http
        .post('/api/v1/leads/bulk')
        .set(org.rep.auth)
        .send(
          statuses.map((status, i) => ({ email: `listed${i}@prepared.example.com`, status, lead_score: i })),
        );
      expect(res.status).toBe(201);
    });

    it("keep a list's page and its count prepared, one statement each whatever the values", async () => {
      const before = await prepared();
      for (const status of ['new', 'contacted', 'qualified', 'new']) {
        const res = await list({ status, sort: '-created_at' });
        expect(res.status).toBe(200);
        const wanted = statuses.filter((s) => s === status).length + (status === 'new' ? 1 : 0); // and Ada
        expect(res.body.data.map((l: { status: string }) => l.status)).toEqual(Array(wanted).fill(status));
        expect(res.body.meta).toMatchObject({ total: wanted, total_exact: true });
      }
      const added = (await prepared()).filter((s) => !before.includes(s));
      expect(added).toHaveLength(2);
      // A sales rep's count: each owner field's matches alone, then their union (../../src/crud/count-matches).
      expect(added.find((s) => s.startsWith('SELECT CASE WHEN (SELECT count(*)'))).toBeDefined();
      for (const statement of added) expect(statement).not.toMatch(/'new'|'contacted'|'qualified'/);
    });

    it('plan a search, a range or a later page for their values, keeping nothing of them prepared', async () => {
      const before = await prepared();
      const cases: [Record<string, string>, number][] = [
        [{ search: 'listed' }, statuses.length],
        [{ 'lead_score[gte]': '4' }, 2],
        [{ status: 'new', offset: '1' }, 3],
      ];
      for (const [query, rows] of cases) {
        const res = await list(query);
        expect(res.status).toBe(200);
        expect(res.body.data).toHaveLength(rows);
      }
      expect(await prepared()).toEqual(before);
    });
  });
});
