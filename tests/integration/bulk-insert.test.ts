import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * A bulk create is one `INSERT … SELECT FROM unnest(…)` with an array parameter per column. The records must
 * come back in the order sent, stored as sent (JSON as JSON, lists as lists, text with quotes, backslashes and
 * braces intact, absent values null, defaults filled in), each with its audit entry.
 */
let t: TestApp;
let org: Tenant;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Bulk Insert Org');
});
afterAll(() => t.close());

it('stores 1,000 fully filled leads in order, as sent, with their audit entries', async () => {
  const run = Date.now();
  const records = Array.from({ length: 1000 }, (_, i) => ({
    first_name: `First ${i}`,
    last_name: `Last ${i}`,
    email: `bulk-${run}-${i}@example.com`,
    phone: '+1 555 0100',
    company: `Company ${i}`,
    title: 'Buyer',
    industry: 'Retail',
    annual_revenue: 1234.5,
    employees: i,
    website: 'https://example.com',
    address: '1 Main St',
    city: 'Springfield',
    state: 'IL',
    country: 'US',
    postal_code: '62701',
    notes: i % 2 ? `note ${i}` : null,
    lead_score: i % 101,
    tags: i % 3 ? ['bulk', `n${i}`, 'a "quoted", {braced} \\ tag', 'NULL'] : [],
    custom_fields: { list: [1, 2, i], nested: { i }, text: 'it\'s "JSON" \\ {x}' },
  }));
  const res = await t.http.post('/api/v1/leads/bulk').set(org.admin.auth).send(records).expect(201);
  const data = res.body.data as Record<string, unknown>[];
  expect(data).toHaveLength(1000);
  data.forEach((lead, i) => {
    expect(lead).toMatchObject({ ...records[i], status: 'new', source: 'website' });
    expect(typeof lead.id).toBe('string');
  });
  const last = await t.http
    .get(`/api/v1/leads/${String(data[999]!.id)}`)
    .set(org.admin.auth)
    .expect(200);
  expect(last.body.data).toEqual(data[999]);
  const audited = await t.c.models.get('AuditEntry').count({
    where: { entity: 'Lead', action: 'create', record_id: data.map((l) => l.id as string) },
  });
  expect(audited).toBe(1000);
});
