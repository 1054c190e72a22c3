import type { Readable } from 'node:stream';
import { RecordExport } from '../../src/services/export/record-export';
import { startTestApp, type TestApp } from '../helpers/app';
import { csvRows, utf8Text } from '../helpers/files';
import { createTenant, type Tenant, type TestUser } from '../helpers/tenant';

/** POST /api/v1/reports/generate: records or groups, CSV or JSON, streamed, within the caller's reach. */
let t: TestApp;
let org: Tenant;
let big: Tenant;

type Values = Record<string, unknown>;
const LARGE = 20_000;
let deals: Values[];

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Reports Org');
  big = await createTenant(t.c, 'Reports Big Org');
  const stages = ['prospecting', 'proposal', 'closed_won'];
  deals = Array.from({ length: 12 }, (_, i) => ({
    name: i === 0 ? '=cmd()' : `Deal ${i}`,
    stage: stages[i % 3],
    amount: 100 + i * 25.5,
    owner_id: [org.rep.id, org.soloRep.id, org.manager.id][i % 3],
  }));
  await t.http.post('/api/v1/deals/bulk').set(org.admin.auth).send(deals).expect(201);
  // A large set, written straight in SQL to keep the test fast.
  await t.c.sequelize.query(
    `INSERT INTO leads (organization_id, created_by, email, first_name, lead_score)
     SELECT :org, :admin, 'bulk' || g || '@example.com', 'Bulk ' || g, g % 101
     FROM generate_series(1, :n) AS g`,
    { replacements: { org: big.organizationId, admin: big.admin.id, n: LARGE } },
  );
});
afterAll(() => t.close());

const generate = (as: TestUser, body: Values) =>
  t.http.post('/api/v1/reports/generate').set(as.auth).send(body).buffer(true).parse(utf8Text);
const round = (n: number) => Math.round(n * 100) / 100;

it('lists the chosen fields of the matching records as CSV, formula-safe', async () => {
  const res = await generate(org.admin, {
    entity: 'deals',
    fields: ['name', 'stage', 'amount'],
    filter: { amount: { $lt: 300 } },
    sort: 'amount',
  }).expect(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['content-disposition']).toMatch(/filename="deals-report-\d{4}-\d{2}-\d{2}\.csv"/);
  expect(res.headers['x-report-truncated']).toBe('false');
  const expected = deals.filter((d) => (d.amount as number) < 300);
  expect(csvRows(res.body as string)).toEqual(
    expected.map((d) => ({
      name: d.name === '=cmd()' ? "'=cmd()" : d.name,
      stage: d.stage,
      amount: String(d.amount),
    })),
  );
});

it('groups with counts and measures, as JSON too', async () => {
  const res = await generate(org.admin, {
    entity: 'Deal',
    group_by: ['stage'],
    sum: ['amount'],
    max: ['amount'],
    format: 'json',
  }).expect(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  const expected = ['prospecting', 'proposal', 'closed_won']
    .map((stage) => {
      const group = deals.filter((d) => d.stage === stage).map((d) => d.amount as number);
      return {
        stage,
        count: group.length,
        sum_amount: round(group.reduce((a, b) => a + b, 0)),
        max_amount: Math.max(...group),
      };
    })
    .sort((a, b) => a.stage.localeCompare(b.stage));
  const rows = (JSON.parse(res.body as string) as { stage: string }[]).sort((a, b) =>
    a.stage.localeCompare(b.stage),
  );
  expect(rows).toEqual(expected);
});

it("reports only what the caller may read: a rep's own deals", async () => {
  const res = await generate(org.rep, { entity: 'deals', group_by: ['owner_id'], sum: ['amount'] }).expect(
    200,
  );
  const own = deals.filter((d) => d.owner_id === org.rep.id);
  expect(csvRows(res.body as string)).toEqual([
    {
      owner_id: org.rep.id,
      count: String(own.length),
      sum_amount: String(round(own.reduce((a, d) => a + (d.amount as number), 0))),
    },
  ]);
});

it('refuses bad requests and unreadable entities or fields with JSON errors', async () => {
  const cases: [TestUser, Values, number, string?][] = [
    [org.support, { entity: 'deals' }, 403],
    [org.rep, { entity: 'products', fields: ['name', 'cost'] }, 400, 'cost'],
    [org.admin, { entity: 'nothing' }, 400, 'entity'],
    [org.admin, {}, 400, 'entity'],
    [org.admin, { entity: 'deals', format: 'xlsx' }, 400, 'format'],
    [org.admin, { entity: 'deals', group_by: ['stage'], fields: ['name'] }, 400, 'fields'],
    [org.admin, { entity: 'deals', sum: ['amount'] }, 400, 'sum'],
    [org.admin, { entity: 'deals', group_by: ['nope'] }, 400, 'nope'],
    [org.admin, { entity: 'deals', filter: { amount: { $bogus: 1 } } }, 400],
  ];
  for (const [as, body, status, field] of cases) {
    const res = await t.http.post('/api/v1/reports/generate').set(as.auth).send(body);
    expect([body, res.status]).toEqual([body, status]);
    expect(res.body.error.message).toEqual(expect.any(String));
    if (field)
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  }
});

describe(`a large set (${LARGE.toLocaleString('en')} records)`, () => {
  it('streams as CSV and JSON, in order, every record once', async () => {
    const csv = await generate(big.admin, {
      entity: 'leads',
      fields: ['email', 'lead_score'],
      sort: 'created_at',
    }).expect(200);
    expect(csv.headers['transfer-encoding']).toBe('chunked');
    const lines = (csv.body as string).trimEnd().split('\r\n');
    expect(lines).toHaveLength(LARGE + 1);
    expect(new Set(lines).size).toBe(LARGE + 1);
    const json = await generate(big.admin, {
      entity: 'leads',
      fields: ['lead_score'],
      format: 'json',
    }).expect(200);
    const rows = JSON.parse(json.body as string) as { lead_score: number }[];
    expect(rows).toHaveLength(LARGE);
    const expectedSum = Array.from({ length: LARGE }, (_, i) => (i + 1) % 101).reduce((a, b) => a + b, 0);
    expect(rows.reduce((a, r) => a + r.lead_score, 0)).toBe(expectedSum);
  });

  it('is read in batches, so memory holds one batch and never the whole set', async () => {
    const actor = {
      organizationId: big.organizationId,
      userId: big.admin.id,
      email: big.admin.email,
      role: 'admin' as const,
    };
    const file = await new RecordExport(t.c.crud, 2_500).open(
      actor,
      t.c.registry.get('Lead'),
      { fields: ['email'] },
      'csv',
    );
    const chunks: string[] = [];
    for await (const chunk of file.body as Readable) chunks.push(String(chunk));
    // The header, then one chunk per batch of 2,500 records.
    expect(chunks).toHaveLength(1 + LARGE / 2_500);
    expect(chunks.slice(1).every((c) => c.split('\r\n').length === 2_500 + 1)).toBe(true);
  });
});
