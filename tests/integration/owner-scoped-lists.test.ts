import { startTestApp, type TestApp } from '../helpers/app';
import { apiClient, hiddenFieldNames, type Client } from '../helpers/crud-api';
import { tag } from '../helpers/crud-samples';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * A sales rep reads the leads assigned to them or created by them, a manager their team's: such lists are read
 * as one index scan per owner field and merged (src/crud/find-page.ts), and counted the same way. They must
 * give exactly what the OR they stand for gives: every reachable lead once (also one both assigned to and
 * created by the rep), in order across both owner fields, whatever the page size, offset or cursor. The
 * reference is the admin's list of the same ids, read without any owner scope.
 */
const LEADS = '/api/v1/leads';
const COUNT_LIMIT = 15;

let t: TestApp;
let org: Tenant;
let admin: Client;
let rep: Client;
let manager: Client;
const reachable = { rep: [] as string[], manager: [] as string[] };

// Scores and companies interleave the groups, so each page mixes rows from both owner fields; companies repeat
// and some are missing, so ties and NULLs are broken by id.
const score = (i: number) => (i * 37) % 100;
const company = (i: number) => (i % 5 === 0 ? null : `Company ${i % 3}`);

beforeAll(async () => {
  t = await startTestApp({ LIST_COUNT_LIMIT: String(COUNT_LIMIT) });
  org = await createTenant(t.c, 'Owner Lists Org');
  const hidden = hiddenFieldNames(t);
  admin = apiClient(t, org.admin.auth, hidden);
  rep = apiClient(t, org.rep.auth, hidden);
  manager = apiClient(t, org.manager.auth, hidden);
  const run = tag();
  let i = 0;
  const lead = (status: string, assigned_to: string | null = null) => {
    i += 1;
    return {
      email: `owner${i}.${run}@owners.example.com`,
      status,
      lead_score: score(i),
      company: company(i),
      assigned_to,
    };
  };
  const ids = async (who: Client, rows: Record<string, unknown>[]) => {
    const res = await who.post(`${LEADS}/bulk`, rows);
    expect(res.status).toBe(201);
    return (res.body.data as { id: string }[]).map((r) => r.id);
  };
  // Assigned to the rep by the admin: 5 new, 7 contacted.
  const assigned = await ids(admin, [
    ...Array.from({ length: 5 }, () => lead('new', org.rep.id)),
    ...Array.from({ length: 7 }, () => lead('contacted', org.rep.id)),
  ]);
  // Created by the rep (who may not assign): 8 new; the admin then assigns 4 of them to the rep.
  const created = await ids(
    rep,
    Array.from({ length: 8 }, () => lead('new')),
  );
  for (const id of created.slice(0, 4)) {
    expect((await admin.patch(`${LEADS}/${id}`, { assigned_to: org.rep.id })).status).toBe(200);
  }
  // Another rep of the same manager's team, and leads neither the rep nor the manager reaches.
  const team = await ids(
    admin,
    Array.from({ length: 3 }, () => lead('new', org.teamRep.id)),
  );
  await ids(admin, [
    lead('new', org.soloRep.id),
    lead('new', org.soloRep.id),
    lead('new'),
    lead('contacted'),
  ]);
  reachable.rep = [...assigned, ...created];
  reachable.manager = [...reachable.rep, ...team];
});
afterAll(() => t.close());

type Query = Record<string, string>;

const ids = (res: { status: number; body: { data: { id: string }[] } }) => {
  expect(res.status).toBe(200);
  return res.body.data.map((r) => r.id);
};

/** The ids the admin lists for these leads in this order: the same list without an owner scope. */
const reference = async (only: string[], query: Query) =>
  ids(await admin.get(LEADS, { ...query, filter: JSON.stringify({ id: only }), limit: '100' }));

/** Every id of a list, read page by page. */
async function byPages(who: Client, query: Query, limit: number): Promise<string[]> {
  const all: string[] = [];
  for (let page = 1; page < 20; page += 1) {
    const got = ids(await who.get(LEADS, { ...query, limit: String(limit), page: String(page) }));
    all.push(...got);
    if (got.length < limit) return all;
  }
  throw new Error('the list did not end');
}

/** Every id of a list, read cursor by cursor. */
async function byCursor(who: Client, query: Query, limit: number): Promise<string[]> {
  const all: string[] = [];
  let cursor = '';
  for (let n = 0; n < 20; n += 1) {
    const res = await who.get(LEADS, { ...query, limit: String(limit), cursor });
    all.push(...ids(res));
    cursor = res.body.meta.next_cursor;
    if (!cursor) return all;
  }
  throw new Error('the list did not end');
}

describe.each([
  ['a sales rep (assigned to or created by them)', () => rep, () => reachable.rep],
  ["a manager (their team's)", () => manager, () => reachable.manager],
])('%s', (_, who, only) => {
  it.each([
    ['newest first', {}],
    ['by score, highest first', { sort: '-lead_score' }],
    ['by company, with ties and missing values', { sort: 'company' }],
    ['by status then score', { sort: 'status,-lead_score' }],
    ['filtered by status', { status: 'new', sort: '-lead_score' }],
  ])('lists every lead once, %s, page by page and cursor by cursor', async (_name, query: Query) => {
    const expected = await reference(only(), query);
    expect(expected.length).toBeGreaterThan(8);
    expect(await byPages(who(), query, 4)).toEqual(expected);
    expect(await byPages(who(), query, 7)).toEqual(expected);
    expect(await byCursor(who(), query, 4)).toEqual(expected);
    expect(ids(await who().get(LEADS, { ...query, limit: '5', offset: '6' }))).toEqual(expected.slice(6, 11));
  });
});

describe('the bounded count of an owner-scoped list', () => {
  it('counts a lead both assigned to and created by the rep once', async () => {
    // 9 new leads are assigned to the rep and 8 created by them; 4 are both, so 13 in all: under the limit
    // of 15, though the two owner fields' matches add up to 17.
    const res = await rep.get(LEADS, { status: 'new', limit: '2' });
    expect(res.body.meta).toMatchObject({ total: 13, total_exact: true, total_pages: 7 });
  });

  it('stops at the limit when one owner field alone has more matches', async () => {
    // 16 leads assigned to the rep (past the limit by themselves), 20 in all.
    const res = await rep.get(LEADS, { limit: '2' });
    expect(res.body.meta).toMatchObject({ total: COUNT_LIMIT, total_exact: false });
    const exact = await rep.get(LEADS, { limit: '2', count: 'exact' });
    expect(exact.body.meta).toMatchObject({ total: 20, total_exact: true });
  });

  it("counts a manager's team and nothing beyond it", async () => {
    const res = await manager.get(LEADS, { status: 'new', limit: '2', count: 'exact' });
    expect(res.body.meta).toMatchObject({ total: 16, total_exact: true });
  });
});
