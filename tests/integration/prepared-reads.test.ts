import { selectFixed } from '../../src/db/fixed-statement';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * A record by id is read with a statement PostgreSQL prepared once per connection, and so is the caller;
 * a field list the client chose is not kept prepared, since every choice would add a statement. The embedded
 * database never prepares (its connections share one session).
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

  it('reads a record by id and the caller with statements prepared once', async () => {
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
    expect(await prepared()).toEqual(statements);
  });
});
