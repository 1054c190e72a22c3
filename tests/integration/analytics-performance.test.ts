import { issueKey } from '../helpers/api-keys';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant, type TestUser } from '../helpers/tenant';

/**
 * Performance, leaderboards and goals against figures computed by hand from seeded March 2026 records
 * (plus records outside March and in another organization that must not count), for every role.
 */
let t: TestApp;
let org: Tenant;
let other: Tenant;

type Values = Record<string, unknown>;
const METRICS = ['won_amount', 'deals_won', 'leads_converted', 'calls', 'meetings'] as const;
type Metric = (typeof METRICS)[number];
const AT = '2026-03-15';
const MARCH = '2026-03';

let deals: Values[];
let leads: Values[];
let calls: Values[];
let meetings: Values[];
let sellers: TestUser[];

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Performance Org');
  other = await createTenant(t.c, 'Performance Other Org');
  sellers = [org.manager, org.rep, org.teamRep, org.soloRep];
  const when = (i: number) =>
    i % 5 === 4
      ? `2026-04-0${1 + (i % 3)}T09:00:00.000Z`
      : `2026-03-${String(1 + i).padStart(2, '0')}T09:00:00.000Z`;
  deals = Array.from({ length: 20 }, (_, i) => ({
    name: `Deal ${i}`,
    stage: i % 3 === 2 ? 'proposal' : 'closed_won',
    amount: 500 + i * 310,
    owner_id: [org.rep.id, org.teamRep.id, org.soloRep.id, org.manager.id, org.rep.id, org.admin.id][i % 6],
    actual_close_date: when(i),
  }));
  leads = Array.from({ length: 14 }, (_, i) => ({
    email: `perf${i}@example.com`,
    status: i % 4 === 3 ? 'qualified' : 'converted',
    converted_date: when(i),
    assigned_to: [org.teamRep.id, org.soloRep.id, org.rep.id][i % 3],
  }));
  calls = Array.from({ length: 16 }, (_, i) => ({
    subject: `Call ${i}`,
    status: i % 4 === 1 ? 'no_answer' : 'completed',
    call_time: when(i),
    user_id: [org.soloRep.id, org.rep.id, org.manager.id, org.support.id][i % 4],
  }));
  meetings = Array.from({ length: 9 }, (_, i) => ({
    title: `Meeting ${i}`,
    status: i % 3 === 0 ? 'scheduled' : 'completed',
    start_time: when(i),
    organizer_id: [org.rep.id, org.teamRep.id][i % 2],
  }));
  for (const [path, body] of [
    ['deals', deals],
    ['leads', leads],
    ['calls', calls],
    ['meetings', meetings],
  ] as const) {
    await t.http.post(`/api/v1/${path}/bulk`).set(org.admin.auth).send(body).expect(201);
  }
  await t.http
    .post('/api/v1/deals/bulk')
    .set(other.admin.auth)
    .send([
      { name: 'Elsewhere', stage: 'closed_won', amount: 1e6, actual_close_date: `${MARCH}-02T00:00:00Z` },
    ])
    .expect(201);
});
afterAll(() => t.close());

const round = (n: number) => Math.round(n * 100) / 100;
const inMarch = (v: unknown) => String(v).startsWith(MARCH);

function figure(metric: Metric, userId: string): number {
  switch (metric) {
    case 'won_amount':
      return round(
        deals
          .filter((d) => d.owner_id === userId && d.stage === 'closed_won' && inMarch(d.actual_close_date))
          .reduce((a, d) => a + (d.amount as number), 0),
      );
    case 'deals_won':
      return deals.filter(
        (d) => d.owner_id === userId && d.stage === 'closed_won' && inMarch(d.actual_close_date),
      ).length;
    case 'leads_converted':
      return leads.filter(
        (l) => l.assigned_to === userId && l.status === 'converted' && inMarch(l.converted_date),
      ).length;
    case 'calls':
      return calls.filter((c) => c.user_id === userId && c.status === 'completed' && inMarch(c.call_time))
        .length;
    case 'meetings':
      return meetings.filter(
        (m) => m.organizer_id === userId && m.status === 'completed' && inMarch(m.start_time),
      ).length;
  }
}

const team = () => [org.manager.id, org.rep.id, org.teamRep.id];
const get = (as: TestUser, path: string) => t.http.get(`/api/v1/analytics/${path}`).set(as.auth);

describe('GET /analytics/performance', () => {
  it.each([
    ['admin', () => sellers.map((s) => s.id)],
    ['manager', team],
    ['rep', () => [org.rep.id]],
    ['soloRep', () => [org.soloRep.id]],
  ] as const)('gives the %s the figures of the people they may see', async (who, people) => {
    const res = await get(org[who], `performance?period=month&at=${AT}`).expect(200);
    expect(res.body.data.period).toEqual({
      kind: 'month',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
    });
    const rows = res.body.data.rows as (Values & { user: Values })[];
    expect(rows.map((r) => r.user.id).sort()).toEqual([...people()].sort());
    for (const row of rows) {
      for (const m of METRICS) expect([m, row[m]]).toEqual([m, figure(m, row.user.id as string)]);
    }
    const won = rows.map((r) => r.won_amount as number);
    expect(won).toEqual([...won].sort((a, b) => b - a));
  });

  it('is not for support agents, and refuses unknown parameters', async () => {
    const res = await get(org.support, 'performance').expect(403);
    expect(res.body.error.message).toMatch(/admins, managers and sales reps/);
    await get(org.admin, 'performance?period=decade').expect(400);
    await get(org.admin, 'performance?bogus=1').expect(400);
  });
});

describe('GET /analytics/leaderboard', () => {
  const ranking = (metric: Metric, people: string[]) => {
    const values = people.map((id) => ({ id, value: figure(metric, id) }));
    return values.map(({ id, value }) => ({
      id,
      value,
      rank: 1 + values.filter((v) => v.value > value).length,
    }));
  };

  it.each(METRICS)('ranks everyone who sells for an admin by %s', async (metric) => {
    const res = await get(org.admin, `leaderboard?period=month&at=${AT}&metric=${metric}`).expect(200);
    const rows = res.body.data.rows as { rank: number; value: number; user: { id: string } }[];
    expect(
      rows
        .map((r) => ({ id: r.user.id, value: r.value, rank: r.rank }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    ).toEqual(
      ranking(
        metric,
        sellers.map((s) => s.id),
      ).sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(rows.map((r) => r.value)).toEqual([...rows.map((r) => r.value)].sort((a, b) => b - a));
    expect(res.body.data.me).toBeNull();
  });

  it("ranks a manager's team only", async () => {
    const res = await get(org.manager, `leaderboard?period=month&at=${AT}`).expect(200);
    const rows = res.body.data.rows as { rank: number; value: number; user: { id: string } }[];
    expect(rows.map((r) => r.user.id).sort()).toEqual(team().sort());
    for (const r of rows) expect(r.value).toBe(figure('won_amount', r.user.id));
    expect(res.body.data.me.user.id).toBe(org.manager.id);
  });

  it("shows a rep every seller's rank but only their own figure", async () => {
    const res = await get(org.rep, `leaderboard?period=month&at=${AT}&metric=deals_won`).expect(200);
    const rows = res.body.data.rows as { rank: number; value: number | null; user: { id: string } }[];
    const expected = ranking(
      'deals_won',
      sellers.map((s) => s.id),
    );
    expect(rows).toHaveLength(sellers.length);
    for (const r of rows) {
      expect(r.rank).toBe(expected.find((e) => e.id === r.user.id)!.rank);
      expect(r.value).toBe(r.user.id === org.rep.id ? figure('deals_won', org.rep.id) : null);
    }
    expect(res.body.data.me).toMatchObject({
      user: { id: org.rep.id },
      value: figure('deals_won', org.rep.id),
    });
  });

  it('counts nothing outside the period', async () => {
    const res = await get(org.admin, 'leaderboard?period=year&at=2025-06-01').expect(200);
    expect(res.body.data.rows.every((r: { value: number }) => r.value === 0)).toBe(true);
  });

  it('refuses support agents and unknown metrics', async () => {
    await get(org.support, 'leaderboard').expect(403);
    const res = await get(org.admin, 'leaderboard?metric=emails').expect(400);
    expect(res.body.error.details[0].field).toBe('metric');
  });
});

describe('/analytics/goals', () => {
  const create = (as: TestUser, body: Values) =>
    t.http.post('/api/v1/analytics/goals').set(as.auth).send(body);
  let repGoal: Values;
  let teamGoal: Values;

  /** A goal `as` sets, which must be accepted. */
  const setGoal = async (as: TestUser, user_id: string, metric: string, period: string, target: number) =>
    (await create(as, { user_id, metric, period, target }).expect(201)).body.data as Values;

  beforeAll(async () => {
    repGoal = await setGoal(org.admin, org.rep.id, 'won_amount', 'month', 5000);
    teamGoal = await setGoal(org.manager, org.teamRep.id, 'calls', 'quarter', 2);
    await setGoal(org.admin, org.soloRep.id, 'leads_converted', 'month', 3);
  });

  it('computes progress from the records of the period containing `at`', async () => {
    const res = await get(org.admin, `goals?at=${AT}`).expect(200);
    const goals = res.body.data as (Values & { progress: Values })[];
    expect(goals).toHaveLength(3);
    const byUser = (id: string) => goals.find((g) => g.user_id === id)!;
    const repWon = figure('won_amount', org.rep.id);
    expect(byUser(org.rep.id)).toMatchObject({
      metric: 'won_amount',
      period: 'month',
      target: 5000,
      progress: {
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        value: repWon,
        ratio: Math.round((repWon / 5000) * 10_000) / 10_000,
        achieved: repWon >= 5000,
      },
    });
    // A quarter's calls: January to March, and the April calls are outside it.
    const quarterCalls = calls.filter(
      (c) => c.user_id === org.teamRep.id && c.status === 'completed' && String(c.call_time) < '2026-04',
    ).length;
    expect(byUser(org.teamRep.id).progress).toMatchObject({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      value: quarterCalls,
    });
    expect(byUser(org.soloRep.id).progress.value).toBe(figure('leads_converted', org.soloRep.id));
  });

  it('shows managers their team, everyone else their own', async () => {
    const ids = async (as: TestUser) =>
      ((await get(as, 'goals').expect(200)).body.data as Values[]).map((g) => g.user_id).sort();
    expect(await ids(org.manager)).toEqual([org.rep.id, org.teamRep.id].sort());
    expect(await ids(org.rep)).toEqual([org.rep.id]);
    expect(await ids(org.soloRep)).toEqual([org.soloRep.id]);
    expect(await ids(org.support)).toEqual([]);
    expect(await ids(other.admin)).toEqual([]);
    await t.http
      .get(`/api/v1/analytics/goals/${String(teamGoal.id)}`)
      .set(org.soloRep.auth)
      .expect(404);
    await t.http
      .get(`/api/v1/analytics/goals/${String(teamGoal.id)}`)
      .set(other.admin.auth)
      .expect(404);
  });

  it('lets admins and managers (within their team) set goals, and nobody else', async () => {
    const soloGoal = { user_id: org.soloRep.id, metric: 'calls', period: 'week', target: 10 };
    expect((await create(org.manager, soloGoal).expect(403)).body.error.message).toMatch(/report to them/);
    expect(
      (await create(org.rep, { ...soloGoal, user_id: org.rep.id }).expect(403)).body.error.message,
    ).toMatch(/managers and admins/);
    await create(org.support, soloGoal).expect(403);
    await create(other.admin, soloGoal).expect(404);
    const dup = await create(org.admin, {
      user_id: org.rep.id,
      metric: 'won_amount',
      period: 'month',
      target: 1,
    });
    expect(dup.status).toBe(409);
    const bad = await create(org.admin, {
      user_id: org.rep.id,
      metric: 'hugs',
      period: 'day',
      target: -1,
    }).expect(400);
    expect(bad.body.error.details.map((d: Values) => d.field).sort()).toEqual(['metric', 'period', 'target']);
  });

  it('pages the list', async () => {
    const res = await get(org.admin, 'goals?limit=2&page=2').expect(200);
    expect(res.body.meta).toEqual({ page: 2, limit: 2, total: 3, total_pages: 2 });
    expect(res.body.data).toHaveLength(1);
    await get(org.admin, 'goals?limit=500').expect(400);
  });

  it('keeps API keys to what their scopes read, and away from setting goals', async () => {
    const key = await issueKey(t, org.admin, { scopes: ['leads:read'] });
    const body = { user_id: org.teamRep.id, metric: 'meetings', period: 'week', target: 1 };
    const refused = await t.http.post('/api/v1/analytics/goals').set(key.auth).send(body).expect(403);
    expect(refused.body.error.message).toMatch(/API key/);
    // Progress on won deals needs deals:read.
    await t.http.get('/api/v1/analytics/goals?metric=won_amount').set(key.auth).expect(403);
    await t.http.get('/api/v1/analytics/leaderboard?metric=leads_converted').set(key.auth).expect(200);
    await t.http.get('/api/v1/analytics/leaderboard?metric=calls').set(key.auth).expect(403);
  });

  it('changes a target and deletes a goal, within the same limits', async () => {
    const path = `/api/v1/analytics/goals/${String(teamGoal.id)}`;
    await t.http.patch(path).set(org.rep.auth).send({ target: 9 }).expect(403);
    await t.http.patch(path).set(org.manager.auth).send({ metric: 'meetings' }).expect(400);
    const res = await t.http.patch(path).set(org.manager.auth).send({ target: 7 }).expect(200);
    expect(res.body.data.target).toBe(7);
    const soloPath = `/api/v1/analytics/goals/${String(repGoal.id)}`;
    await t.http.delete(soloPath).set(other.admin.auth).expect(404);
    await t.http.delete(path).set(org.manager.auth).expect(204);
    await t.http.get(path).set(org.admin.auth).expect(404);
    await t.http.get('/api/v1/analytics/goals/not-a-uuid').set(org.admin.auth).expect(404);
  });
});
