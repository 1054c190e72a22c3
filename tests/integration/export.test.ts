import { startTestApp, type TestApp } from '../helpers/app';
import { csvRows, utf8Text } from '../helpers/files';
import { createTenant, type Tenant, type TestUser } from '../helpers/tenant';

/** GET /api/v1/<entity>/export: every matching record the caller may read, streamed, formula-safe. */
let t: TestApp;
let org: Tenant;
let other: Tenant;

type Values = Record<string, unknown>;
const INJECTIONS = [
  '=HYPERLINK("http://evil.example","click")',
  '+cmd|calc',
  '-2+3',
  '@SUM(A1)',
  '\tx',
  '\rx',
];
let leads: Values[];

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Export Org');
  other = await createTenant(t.c, 'Export Other Org');
  leads = INJECTIONS.map((first_name, i) => ({
    email: `inject${i}@example.com`,
    first_name,
    company: i % 2 ? 'Acme, Inc.' : 'Plain "Quoted" Co',
    status: i % 2 ? 'new' : 'qualified',
    lead_score: i * 10,
    tags: ['=tag', 'ok'],
    assigned_to: i % 3 ? org.rep.id : org.soloRep.id,
  }));
  await t.http.post('/api/v1/leads/bulk').set(org.admin.auth).send(leads).expect(201);
  // Writes trim text, so leading tabs and carriage returns only arrive by other paths (older data, SQL).
  for (const [i, value] of INJECTIONS.entries()) {
    if (/^\s/.test(value))
      await t.c.models
        .get('Lead')
        .update(
          { first_name: value },
          { where: { organization_id: org.organizationId, email: `inject${i}@example.com` } },
        );
  }
  await t.http
    .post('/api/v1/products')
    .set(org.admin.auth)
    .send({ name: 'Widget', sku: 'W-1', price: 10, cost: 4 })
    .expect(201);
  await t.http.post('/api/v1/leads').set(other.admin.auth).send({ email: 'other@example.com' }).expect(201);
});
afterAll(() => t.close());

const csvHeader = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')[0]!
    .split(',');

const exportOf = (as: TestUser, path: string, query = '') =>
  t.http.get(`/api/v1/${path}/export${query}`).set(as.auth).buffer(true).parse(utf8Text);

it('streams every lead of the organization as CSV, with formula cells neutralised', async () => {
  const res = await exportOf(org.admin, 'leads', '?format=csv&sort=email').expect(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"/);
  expect(res.headers['cache-control']).toBe('private, no-store');
  expect(res.headers['content-length']).toBeUndefined();
  // Excel reads a CSV as UTF-8 only when it starts with the byte order mark.
  expect((res.body as string).startsWith('\uFEFFid,')).toBe(true);
  const rows = csvRows(res.body as string);
  expect(rows.map((r) => r.email)).toEqual(leads.map((l) => l.email));
  expect(rows.map((r) => r.first_name)).toEqual(INJECTIONS.map((v) => `'${v}`));
  expect(rows[0]!.company).toBe('Plain "Quoted" Co');
  expect(rows[1]!.company).toBe('Acme, Inc.');
  expect(rows[0]!.tags).toBe('["=tag","ok"]');
  expect(rows[1]!.lead_score).toBe('10');
  expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['id', 'organization_id', 'custom_fields']));
});

it('takes the list filters, search, sort and fields, and answers JSON as one array', async () => {
  const res = await exportOf(
    org.admin,
    'leads',
    '?format=json&status=new&lead_score[gte]=20&fields=email,lead_score&sort=-lead_score',
  ).expect(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  const expected = leads
    .filter((l) => l.status === 'new' && (l.lead_score as number) >= 20)
    .sort((a, b) => (b.lead_score as number) - (a.lead_score as number))
    .map((l) => ({ email: l.email, lead_score: l.lead_score }));
  expect(JSON.parse(res.body as string)).toEqual(expected);
  const empty = await exportOf(org.admin, 'leads', '?format=json&search=nobody-matches').expect(200);
  expect(JSON.parse(empty.body as string)).toEqual([]);
  const header = await exportOf(org.admin, 'leads', '?status=lost&fields=email').expect(200);
  expect(header.body).toBe('\uFEFFemail\r\n');
});

it("keeps to the caller's scope and field allow-list", async () => {
  const rep = csvRows((await exportOf(org.rep, 'leads').expect(200)).body as string);
  expect(rep.map((r) => r.assigned_to).sort()).toEqual(
    leads.filter((l) => l.assigned_to === org.rep.id).map(() => org.rep.id),
  );
  const products = csvRows((await exportOf(org.rep, 'products').expect(200)).body as string);
  expect(products).toHaveLength(1);
  expect(Object.keys(products[0]!)).not.toContain('cost');
  expect(
    Object.keys(csvRows((await exportOf(org.admin, 'products').expect(200)).body as string)[0]!),
  ).toContain('cost');
  const users = (await exportOf(org.rep, 'users').expect(200)).body as string;
  expect(csvHeader(users).join()).not.toMatch(/password|tokens_valid_after/);
  const elsewhere = csvRows((await exportOf(other.admin, 'leads').expect(200)).body as string);
  expect(elsewhere.map((r) => r.email)).toEqual(['other@example.com']);
});

it('answers JSON errors before the download starts', async () => {
  const cases: [TestUser, string, number, string?][] = [
    [org.support, '', 403],
    [org.rep, '?fields=email,cost', 400, 'cost'],
    [org.admin, '?format=xml', 400, 'format'],
    [org.admin, '?limit=10', 400, 'limit'],
    [org.admin, '?cursor=', 400, 'cursor'],
    [org.admin, '?fields=password_hash', 400, 'password_hash'],
    [org.admin, '?filter={bad', 400, 'filter'],
    [org.admin, '?sort=nope', 400, 'nope'],
  ];
  for (const [as, query, status, field] of cases) {
    const path = query.includes('cost') ? 'products' : 'leads';
    const res = await t.http.get(`/api/v1/${path}/export${query}`).set(as.auth);
    expect([query, res.status]).toEqual([query, status]);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    if (field)
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  }
  await t.http.get('/api/v1/leads/export').expect(401);
});

it('exists for every entity', async () => {
  for (const rt of t.c.registry.all()) {
    const res = await exportOf(org.admin, rt.decl.path, '?format=csv').expect(200);
    expect([rt.decl.path, csvHeader(res.body as string)]).toEqual([
      rt.decl.path,
      expect.arrayContaining(['id', 'created_at']),
    ]);
  }
});
