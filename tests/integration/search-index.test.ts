import type { Sequelize } from 'sequelize';
import * as fixedStatements from '../../src/db/fixed-statement';
import { Migrator } from '../../src/db/migrator';
import { createSequelize } from '../../src/db/sequelize';
import { startTestApp, type TestApp } from '../helpers/app';
import { apiClient, hiddenFieldNames, type Client } from '../helpers/crud-api';
import { createTenant, type Tenant } from '../helpers/tenant';
import { freshDatabase } from '../setup/test-database';

/**
 * `?search=` matches a substring (`ILIKE '%term%'`), which no B-tree serves. Among 30,000 leads the
 * statements the app runs for a search, an admin's and a sales rep's, must be planned on the leads' trigram
 * index: without it PostgreSQL reads every lead of the organization, or of the rep, to find a handful.
 * A database of its own, so these rows and their statistics stay out of the other tests' way.
 */
const LEADS = 30_000;

let db: { url: string; drop(): Promise<void> };
let t: TestApp;
let org: Tenant;
let admin: Client;
let rep: Client;
let seen: { sql: string; bind: unknown[]; prepared: boolean }[] = [];

beforeAll(async () => {
  db = await freshDatabase('nexa_search');
  const migrate: Sequelize = createSequelize({ url: db.url, ssl: 'off', poolMax: 1, statementTimeoutMs: 0 });
  await new Migrator(migrate).up();
  await migrate.close();
  t = await startTestApp({ DATABASE_URL: db.url });
  org = await createTenant(t.c, 'Search Org');
  admin = apiClient(t, org.admin.auth, hiddenFieldNames(t));
  rep = apiClient(t, org.rep.auth, hiddenFieldNames(t));
  // Every tenth lead is the rep's; three leads (one of them the rep's) work at the company searched for.
  await t.c.sequelize.query(
    `INSERT INTO leads (organization_id, email, first_name, last_name, company, status, created_by, assigned_to,
                        created_at, updated_at)
     SELECT $1, 'lead' || g || '@search.example.com', 'First' || g, 'Last' || g,
            CASE WHEN g IN (7, 10, 23) THEN 'Quillfeather Ltd' ELSE 'Company ' || g END, 'new', $2,
            CASE WHEN g % 10 = 0 THEN $3::uuid END, now() - g * interval '1 minute', now()
     FROM generate_series(1, ${LEADS}) g`,
    { bind: [org.organizationId, org.admin.id, org.rep.id] },
  );
  // As autovacuum would: a GIN index takes new entries into a pending list until a vacuum merges them.
  await t.c.sequelize.query('VACUUM ANALYZE leads');
  // A list's statements bind their values and bypass Sequelize's query hooks: watched where they are run.
  const run = fixedStatements.selectFixed;
  jest.spyOn(fixedStatements, 'selectFixed').mockImplementation((sequelize, sql, bind, opts) => {
    if (sql.includes('ILIKE')) seen.push({ sql, bind, prepared: opts?.prepare ?? false });
    return run(sequelize, sql, bind, opts);
  });
}, 120_000);
afterAll(async () => {
  jest.restoreAllMocks();
  await t.close();
  await db.drop();
});

async function plansOf(who: Client): Promise<{ ids: string[]; plans: string[] }> {
  seen = [];
  const res = await who.get('/api/v1/leads', { search: 'quillfeather', count: 'false' });
  expect(res.status).toBe(200);
  const statements = [...seen];
  expect(statements.length).toBeGreaterThan(0);
  const plans: string[] = [];
  for (const { sql, bind, prepared } of statements) {
    // Never kept prepared: a plan made without the term would guess how many rows it matches, and could
    // read every lead in order to fill one page. Run unnamed, a statement is planned for its values.
    expect(prepared).toBe(false);
    const [rows] = await t.c.sequelize.query(`EXPLAIN ${sql}`, { bind });
    plans.push((rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n'));
  }
  return { ids: (res.body.data as { company: string }[]).map((l) => l.company), plans };
}

it("plans an admin's search on the trigram index and finds every match", async () => {
  const { ids, plans } = await plansOf(admin);
  expect(ids).toEqual(['Quillfeather Ltd', 'Quillfeather Ltd', 'Quillfeather Ltd']);
  for (const plan of plans) expect(plan).toContain('leads_search_trgm_idx');
});

it("plans a sales rep's search, one branch per owner field, on the trigram index", async () => {
  const { ids, plans } = await plansOf(rep);
  expect(ids).toEqual(['Quillfeather Ltd']);
  for (const plan of plans) expect(plan).toContain('leads_search_trgm_idx');
});
