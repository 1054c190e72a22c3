import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant, type TestUser } from '../helpers/tenant';

/**
 * The dashboard against figures computed by hand from the seeded records, for each role: every figure
 * counts only what that role may read (leads and deals by owner or creator; tickets company-wide for
 * support and managers; tasks by assignee).
 */
let t: TestApp;
let org: Tenant;
let other: Tenant;

type Values = Record<string, unknown>;
interface Seeded {
  leads: (Values & { created_at: string })[];
  deals: Values[];
  tickets: Values[];
  tasks: Values[];
}
let seed: Seeded;

const DAY = 86_400_000;
const FROM = '2026-02-25';
const TO = '2026-03-11';
const day = (i: number) => new Date(Date.UTC(2026, 1, 25) + i * DAY);
const todayStart = () => {
  const n = new Date();
  return Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate());
};

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Dashboard Org');
  other = await createTenant(t.c, 'Dashboard Other Org');
  const owners = [org.rep.id, org.teamRep.id, org.soloRep.id, org.manager.id, null];
  const statuses = ['new', 'contacted', 'converted', 'qualified', 'converted', 'lost'];
  const sources = ['website', 'referral', 'trade_show'];
  // 16 leads over 14 days of the period, and 2 before it.
  const leads = Array.from({ length: 18 }, (_, i) => ({
    email: `lead${i}@dash.example.com`,
    status: statuses[i % statuses.length],
    source: sources[i % sources.length],
    assigned_to: owners[i % owners.length],
    created_at: (i < 16 ? day(i % 14) : new Date(Date.UTC(2026, 0, 10 + i))).toISOString(),
  }));
  const created = (
    await t.http
      .post('/api/v1/leads/bulk')
      .set(org.admin.auth)
      .send(leads.map(({ created_at: _, ...l }) => l))
      .expect(201)
  ).body.data as Values[];
  for (const [i, lead] of created.entries()) {
    await t.c.models.get('Lead').update({ created_at: leads[i]!.created_at }, { where: { id: lead.id } });
  }
  const stages = ['prospecting', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost'];
  const closes = ['2026-02-26T10:00:00.000Z', '2026-03-05T10:00:00.000Z', '2026-04-02T10:00:00.000Z'];
  const deals = Array.from({ length: 15 }, (_, i) => ({
    name: `Deal ${i}`,
    stage: stages[i % stages.length],
    amount: 1000 + i * 137.25,
    owner_id: owners[i % 4],
    actual_close_date: closes[i % closes.length],
  }));
  await t.http.post('/api/v1/deals/bulk').set(org.admin.auth).send(deals).expect(201);
  const priorities = ['low', 'medium', 'high', 'urgent'];
  const ticketStatuses = ['open', 'in_progress', 'resolved', 'waiting_on_customer', 'closed'];
  const tickets = Array.from({ length: 11 }, (_, i) => ({
    subject: `Ticket ${i}`,
    priority: priorities[i % priorities.length],
    status: ticketStatuses[i % ticketStatuses.length],
    assigned_to: [org.support.id, org.rep.id, null][i % 3],
  }));
  await t.http.post('/api/v1/tickets/bulk').set(org.admin.auth).send(tickets).expect(201);
  const dues = [todayStart() + 12 * 3600_000, todayStart() - 3 * DAY, todayStart() + 3 * DAY];
  const taskStatuses = ['not_started', 'in_progress', 'completed', 'deferred'];
  const tasks = Array.from({ length: 12 }, (_, i) => ({
    title: `Task ${i}`,
    due_date: new Date(dues[i % 3]!).toISOString(),
    status: taskStatuses[i % taskStatuses.length],
    assigned_to: [org.rep.id, org.support.id, org.manager.id, org.soloRep.id][i % 4],
  }));
  await t.http.post('/api/v1/tasks/bulk').set(org.admin.auth).send(tasks).expect(201);
  // Another organization's records never count.
  await t.http
    .post('/api/v1/leads/bulk')
    .set(other.admin.auth)
    .send([{ email: 'x@other.example.com', status: 'converted' }])
    .expect(201);
  await t.http
    .post('/api/v1/deals/bulk')
    .set(other.admin.auth)
    .send([{ name: 'Other', stage: 'proposal', amount: 99999 }])
    .expect(201);
  seed = { leads, deals, tickets, tasks };
});
afterAll(() => t.close());

const dashboard = (as: TestUser, query = `?from=${FROM}&to=${TO}`) =>
  t.http.get(`/api/v1/analytics/dashboard${query}`).set(as.auth);

/** Who each role reaches among the owners of leads, deals and tasks (the admin created everything). */
function reach(as: TestUser): (owner: unknown) => boolean {
  if (as.role === 'admin') return () => true;
  if (as.role === 'manager') return (o) => [org.manager.id, org.rep.id, org.teamRep.id].includes(o as string);
  return (o) => o === as.id;
}

const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;
const tally = (keys: string[], values: unknown[]) =>
  Object.fromEntries(keys.map((k) => [k, values.filter((v) => v === k).length]));

function expectedLeads(as: TestUser) {
  const mine = seed.leads.filter(
    (l) => reach(as)(l.assigned_to) && l.created_at >= `${FROM}T` && l.created_at < `${TO}T`,
  );
  const converted = mine.filter((l) => l.status === 'converted').length;
  const bySource: Record<string, number> = {};
  for (const l of mine) bySource[l.source as string] = (bySource[l.source as string] ?? 0) + 1;
  return {
    total: mine.length,
    by_status: tally(
      ['new', 'contacted', 'qualified', 'unqualified', 'converted', 'lost'],
      mine.map((l) => l.status),
    ),
    by_source: bySource,
    converted,
    conversion_rate: mine.length ? Math.round((converted / mine.length) * 10_000) / 10_000 : 0,
    new_per_day: Array.from({ length: 14 }, (_, i) => ({
      date: day(i).toISOString().slice(0, 10),
      count: mine.filter((l) => l.created_at === day(i).toISOString()).length,
    })),
  };
}

function expectedDeals(as: TestUser) {
  const mine = seed.deals.filter((d) => reach(as)(d.owner_id));
  const open = ['prospecting', 'qualification', 'proposal', 'negotiation'];
  const won = (month: string) =>
    mine.filter(
      (d) =>
        d.stage === 'closed_won' &&
        String(d.actual_close_date).startsWith(month) &&
        String(d.actual_close_date) < `${TO}T`,
    );
  return {
    pipeline_by_stage: open.map((stage) => ({
      stage,
      count: mine.filter((d) => d.stage === stage).length,
      amount: sum(mine.filter((d) => d.stage === stage).map((d) => d.amount as number)),
    })),
    pipeline_total: sum(mine.filter((d) => open.includes(d.stage as string)).map((d) => d.amount as number)),
    won_revenue_by_month: ['2026-02', '2026-03'].map((month) => ({
      month,
      deals: won(month).length,
      amount: sum(won(month).map((d) => d.amount as number)),
    })),
  };
}

function expectedTickets(as: TestUser) {
  const mine = seed.tickets.filter((x) => as.role !== 'sales_rep' || x.assigned_to === as.id);
  const open = mine.filter((x) => !['resolved', 'closed'].includes(x.status as string));
  return {
    open: open.length,
    open_by_priority: tally(
      ['low', 'medium', 'high', 'urgent'],
      open.map((x) => x.priority),
    ),
  };
}

function expectedTasks(as: TestUser) {
  const mine = seed.tasks.filter((x) =>
    as.role === 'support' ? x.assigned_to === as.id : reach(as)(x.assigned_to),
  );
  const pending = mine.filter((x) => !['completed', 'cancelled'].includes(x.status as string));
  const at = (x: Values) => new Date(x.due_date as string).getTime();
  return {
    due_today: pending.filter((x) => at(x) >= todayStart() && at(x) < todayStart() + DAY).length,
    overdue: pending.filter((x) => at(x) < todayStart()).length,
  };
}

it.each(['admin', 'manager', 'rep', 'soloRep'] as const)(
  'gives the %s figures over exactly the records they may read',
  async (who) => {
    const as = org[who];
    const res = await dashboard(as).expect(200);
    expect(res.body.data).toEqual({
      period: { from: `${FROM}T00:00:00.000Z`, to: `${TO}T00:00:00.000Z` },
      leads: expectedLeads(as),
      deals: expectedDeals(as),
      tickets: expectedTickets(as),
      tasks: expectedTasks(as),
    });
  },
);

it('leaves out what support never reads (leads, deals) and counts the rest in their scope', async () => {
  const res = await dashboard(org.support).expect(200);
  expect(res.body.data.leads).toBeNull();
  expect(res.body.data.deals).toBeNull();
  expect(res.body.data.tickets).toEqual(expectedTickets(org.support));
  expect(res.body.data.tasks).toEqual(expectedTasks(org.support));
});

it('defaults to the last 30 days, today included, zero-filled', async () => {
  const res = await dashboard(org.admin, '').expect(200);
  const { period, leads } = res.body.data;
  expect(new Date(period.to).getTime()).toBe(todayStart() + DAY);
  expect(new Date(period.from).getTime()).toBe(todayStart() - 29 * DAY);
  expect(leads.new_per_day).toHaveLength(30);
  expect(leads.new_per_day.every((d: { count: number }) => d.count === 0)).toBe(true);
  expect(leads.total).toBe(0);
});

it('refuses a malformed or oversized period with a 400 naming the parameter', async () => {
  for (const [query, field] of [
    ['?from=yesterday', 'from'],
    ['?from=2026-03-10&to=2026-03-01', 'from'],
    ['?from=2020-01-01&to=2026-01-01', 'from'],
    ['?to=2026-13-45', 'to'],
    ['?period=week', 'period'],
  ]) {
    const res = await dashboard(org.admin, query).expect(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field })]);
  }
});

it('needs a signed-in caller', async () => {
  await t.http.get('/api/v1/analytics/dashboard').expect(401);
});
