import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';

let t: TestApp;
let org: Tenant;

interface Deal {
  name: string;
  stage: string;
  amount: number;
  owner_id: string;
  expected_close_date: string;
}
let deals: Deal[];

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Aggregate Org');
  const owners = [org.admin.id, org.rep.id, org.teamRep.id, org.soloRep.id];
  const stages = ['prospecting', 'proposal', 'closed_won', 'closed_lost'];
  deals = Array.from({ length: 24 }, (_, i) => ({
    name: `Deal ${i}`,
    stage: stages[i % 4]!,
    amount: 1000 + i * 250.5,
    owner_id: owners[i % 3]!,
    expected_close_date: new Date(Date.UTC(2026, i % 6, 1 + i)).toISOString(),
  }));
  await t.http.post('/api/v1/deals/bulk').set(org.admin.auth).send(deals).expect(201);
});
afterAll(() => t.close());

const aggregate = (as: Tenant['admin'], body: object) =>
  t.http.post('/api/v1/deals/aggregate').set(as.auth).send(body);
const round = (n: number) => Math.round(n * 100) / 100;

it('groups by a field with count, sum, avg, min and max computed in SQL', async () => {
  const res = await aggregate(org.admin, {
    groupBy: ['stage'],
    count: true,
    sum: ['amount'],
    avg: ['amount'],
    min: ['amount'],
    max: ['amount'],
  }).expect(200);
  const expected = ['prospecting', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost']
    .map((stage) => {
      const group = deals.filter((d) => d.stage === stage).map((d) => d.amount);
      return group.length
        ? {
            stage,
            count: group.length,
            sum_amount: round(group.reduce((a, b) => a + b, 0)),
            avg_amount: group.reduce((a, b) => a + b, 0) / group.length,
            min_amount: Math.min(...group),
            max_amount: Math.max(...group),
          }
        : undefined;
    })
    .filter(Boolean);
  expect(res.body.data.truncated).toBe(false);
  expect(res.body.data.rows).toHaveLength(expected.length);
  for (const row of res.body.data.rows) {
    const e = expected.find((x) => x!.stage === row.stage)!;
    expect(row).toMatchObject({
      stage: e.stage,
      count: e.count,
      sum_amount: e.sum_amount,
      min_amount: e.min_amount,
      max_amount: e.max_amount,
    });
    expect(row.avg_amount).toBeCloseTo(e.avg_amount, 6);
  }
});

it('buckets dates by month, filters, applies having, sorts and limits', async () => {
  const res = await aggregate(org.admin, {
    date_bucket: { field: 'expected_close_date', unit: 'month' },
    count_distinct: ['owner_id'],
    filter: { stage: { $ne: 'closed_lost' } },
    having: { count: { $gte: 3 } },
    sort: '-expected_close_date',
    limit: 2,
  }).expect(200);
  const months = new Map<string, Deal[]>();
  for (const d of deals.filter((x) => x.stage !== 'closed_lost')) {
    const key = `${d.expected_close_date.slice(0, 7)}-01T00:00:00.000Z`;
    months.set(key, [...(months.get(key) ?? []), d]);
  }
  const expected = [...months.entries()]
    .filter(([, list]) => list.length >= 3)
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([month, list]) => ({
      expected_close_date: month,
      count: list.length,
      count_distinct_owner_id: new Set(list.map((d) => d.owner_id)).size,
    }));
  expect(res.body.data.rows).toEqual(expected.slice(0, 2));
  expect(res.body.data.truncated).toBe(expected.length > 2);
});

it('aggregates only what the caller may read', async () => {
  const res = await aggregate(org.soloRep, { count: true, sum: ['amount'] });
  // The sales rep's scope is their own deals, which the admin created for them.
  if (res.status === 200) {
    const own = deals.filter((d) => d.owner_id === org.soloRep.id);
    expect(res.body.data.rows).toEqual([
      { count: own.length, sum_amount: round(own.reduce((a, d) => a + d.amount, 0)) || null },
    ]);
  } else {
    expect(res.status).toBe(403);
  }
});

it('refuses unknown, hidden or unsuitable fields and malformed specs', async () => {
  for (const [body, field] of [
    [{ groupBy: ['nope'] }, 'nope'],
    [{ sum: ['name'] }, 'name'],
    [{ date_bucket: { field: 'amount', unit: 'month' } }, 'amount'],
    [{ groupBy: ['stage'], sort: 'amount' }, 'amount'],
    [{ groupBy: ['stage'], having: { stage: 'x' } }, 'stage'],
  ] as const) {
    const res = await aggregate(org.admin, body).expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  }
  await aggregate(org.admin, { groupBy: ['stage'], bogus: 1 }).expect(400);
  await t.http
    .post('/api/v1/users/aggregate')
    .set(org.admin.auth)
    .send({ groupBy: ['password_hash'] })
    .expect(400);
});
