import { LEAD_STATUSES } from '../../src/entities/lead';
import { startTestApp, type TestApp } from '../helpers/app';
import { apiClient, expectError, hiddenFieldNames, type Client, type QueryPairs } from '../helpers/crud-api';
import { tag, type Values } from '../helpers/crud-samples';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * The list query language of /api/v1 over a controlled set of 30 leads in an organization of their own:
 * every expectation is computed from the fixture in JavaScript and compared with what the API returns.
 */
const LEADS = '/api/v1/leads';
const N = 30;
const COMPANIES = ['Acme Corp', 'acme labs', 'Globex', '100% Juice', 'under_score ltd'];
const BASE = Date.parse('2026-01-10T12:00:00.000Z');
const DAY = 86_400_000;

interface Lead {
  i: number;
  id: string;
  first_name: string;
  email: string;
  company: string;
  status: (typeof LEAD_STATUSES)[number];
  lead_score: number;
  tags: string[];
  custom: Values;
  annual_revenue: number | null;
  last_contact_date: string | null;
}

/**
 * Lead i: status cycles through all six; scores are distinct; tags even/three/five by divisibility (some
 * none); custom_fields.tier is gold, silver, missing (i % 6 = 2) or an explicit null (i % 6 = 5);
 * custom_fields.regions is an array for half of them; a third have no annual_revenue and a quarter no
 * last_contact_date (which repeats, so sorting on it has ties).
 */
function fixture(i: number, run: string): Values {
  const custom: Values = { rank: i, nested: { level: i % 3 } };
  if (i % 3 === 0) custom.tier = 'gold';
  else if (i % 3 === 1) custom.tier = 'silver';
  else if (i % 6 === 5) custom.tier = null;
  if (i % 4 === 0) custom.regions = ['eu', 'us'];
  else if (i % 4 === 1) custom.regions = ['apac'];
  return {
    first_name: `Q${String(i).padStart(2, '0')}`,
    last_name: i % 2 ? 'Odd' : 'Even',
    email: `q${i}.${run}@query.example.com`,
    company: COMPANIES[i % 5],
    status: LEAD_STATUSES[i % 6],
    lead_score: (i * 37) % 100,
    tags: [
      ...(i % 2 === 0 ? ['even'] : []),
      ...(i % 3 === 0 ? ['three'] : []),
      ...(i % 5 === 0 ? ['five'] : []),
    ],
    custom_fields: custom,
    ...(i % 3 === 0 ? {} : { annual_revenue: i * 1000.5 }),
    ...(i % 4 === 0 ? {} : { last_contact_date: new Date(BASE + (i % 7) * DAY).toISOString() }),
  };
}

let t: TestApp;
let org: Tenant;
let api: Client;
let leads: Lead[];
let beforeCreation: string;
let afterCreation: string;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Query Org');
  api = apiClient(t, org.admin.auth, hiddenFieldNames(t));
  const run = tag();
  const bodies = Array.from({ length: N }, (_, i) => fixture(i, run));
  beforeCreation = new Date(Date.now() - 1000).toISOString();
  const res = await api.post(`${LEADS}/bulk`, bodies);
  expect(res.status).toBe(201);
  expect(res.body.meta).toEqual({ created: N });
  afterCreation = new Date(Date.now() + 1000).toISOString();
  const byEmail = new Map((res.body.data as Values[]).map((r) => [r.email as string, r]));
  leads = bodies.map((b, i) => {
    const stored = byEmail.get(b.email as string)!;
    expect(stored).toMatchObject({ ...b, annual_revenue: b.annual_revenue ?? null });
    return {
      i,
      id: stored.id as string,
      first_name: b.first_name as string,
      email: b.email as string,
      company: b.company as string,
      status: b.status as Lead['status'],
      lead_score: b.lead_score as number,
      tags: b.tags as string[],
      custom: b.custom_fields as Values,
      annual_revenue: (b.annual_revenue as number | undefined) ?? null,
      last_contact_date: (b.last_contact_date as string | undefined) ?? null,
    };
  });
});
afterAll(() => t.close());

const day = (n: number) => new Date(BASE + n * DAY).toISOString();
const filter = (f: unknown): QueryPairs => [['filter', JSON.stringify(f)]];

async function list(query: QueryPairs): Promise<Values[]> {
  const res = await api.get(LEADS, [['limit', '100'], ...query]);
  if (res.status !== 200)
    throw new Error(`${JSON.stringify(query)} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as Values[];
}

/** The query returns exactly the fixture leads the predicate picks (a proper, non-empty subset). */
async function expectMatches(query: QueryPairs, pick: (l: Lead) => boolean, trivial = false): Promise<void> {
  const expected = leads
    .filter(pick)
    .map((l) => l.first_name)
    .sort();
  if (!trivial) {
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(N);
  }
  const got = (await list(query)).map((r) => r.first_name as string).sort();
  expect(got).toEqual(expected);
}

// ------------------------------------------------------------------ querystring operators

describe('querystring filters', () => {
  const cases: [string, QueryPairs, (l: Lead) => boolean][] = [
    ['equality', [['status', 'new']], (l) => l.status === 'new'],
    ['[eq]', [['status[eq]', 'qualified']], (l) => l.status === 'qualified'],
    ['[ne]', [['status[ne]', 'new']], (l) => l.status !== 'new'],
    ['[gt]', [['lead_score[gt]', '50']], (l) => l.lead_score > 50],
    ['[gte]', [['lead_score[gte]', '37']], (l) => l.lead_score >= 37],
    ['[lt]', [['lead_score[lt]', '37']], (l) => l.lead_score < 37],
    ['[lte]', [['lead_score[lte]', '37']], (l) => l.lead_score <= 37],
    ['[in]', [['status[in]', 'new,contacted']], (l) => ['new', 'contacted'].includes(l.status)],
    ['[nin]', [['status[nin]', 'new, contacted']], (l) => !['new', 'contacted'].includes(l.status)],
    ['[exists]=true', [['annual_revenue[exists]', 'true']], (l) => l.annual_revenue !== null],
    ['[exists]=false', [['last_contact_date[exists]', 'false']], (l) => l.last_contact_date === null],
    ['[like] (case-insensitive)', [['company[like]', 'acme%']], (l) => /^acme/i.test(l.company)],
    ['[like] with a leading %', [['company[like]', '%JUICE']], (l) => l.company === '100% Juice'],
    ['[regex]', [['email[regex]', '^q1[0-9]?\\.']], (l) => l.i === 1 || (l.i >= 10 && l.i <= 19)],
    ['[all]', [['tags[all]', 'even,three']], (l) => l.tags.includes('even') && l.tags.includes('three')],
    ['[size]', [['tags[size]', '2']], (l) => l.tags.length === 2],
    ['[size]=0', [['tags[size]', '0']], (l) => l.tags.length === 0],
    ['a scalar on a list is membership', [['tags', 'five']], (l) => l.tags.includes('five')],
    [
      '[in] on a list is overlap',
      [['tags[in]', 'five,three']],
      (l) => l.tags.some((x) => ['five', 'three'].includes(x)),
    ],
    ['[nin] on a list: no element in it', [['tags[nin]', 'even']], (l) => !l.tags.includes('even')],
    [
      'repeated equality means $in',
      [
        ['status', 'new'],
        ['status', 'lost'],
      ],
      (l) => ['new', 'lost'].includes(l.status),
    ],
    [
      'two operators on one field',
      [
        ['lead_score[gte]', '20'],
        ['lead_score[lt]', '60'],
      ],
      (l) => l.lead_score >= 20 && l.lead_score < 60,
    ],
    [
      'conditions on several fields are AND-ed',
      [
        ['status[ne]', 'new'],
        ['company', 'Globex'],
      ],
      (l) => l.status !== 'new' && l.company === 'Globex',
    ],
    [
      'decimals',
      [['annual_revenue[lte]', '5002.5']],
      (l) => l.annual_revenue !== null && l.annual_revenue <= 5002.5,
    ],
    [
      'timestamps',
      [['last_contact_date[gte]', day(4)]],
      (l) => l.last_contact_date !== null && l.last_contact_date >= day(4),
    ],
    ['a dotted path into custom_fields', [['custom_fields.tier', 'gold']], (l) => l.custom.tier === 'gold'],
    ['a number in custom_fields, given as text', [['custom_fields.rank', '7']], (l) => l.i === 7],
    ['a comparison in custom_fields', [['custom_fields.rank[gt]', '20']], (l) => l.i > 20],
    [
      'a combination with filter= (AND)',
      [['status', 'new'], ...filter({ lead_score: { $gt: 30 } })],
      (l) => l.status === 'new' && l.lead_score > 30,
    ],
  ];
  it.each(cases)('%s', async (_name, query, pick) => {
    await expectMatches(query, pick);
  });

  it('ids, in any case', async () => {
    await expectMatches([['id', leads[3]!.id]], (l) => l.i === 3);
    await expectMatches(
      [['id[in]', `${leads[3]!.id},${leads[4]!.id.toUpperCase()}`]],
      (l) => l.i === 3 || l.i === 4,
    );
  });

  it('filters on created_at, which the server set', async () => {
    await expectMatches([['created_at[gte]', beforeCreation]], () => true, true);
    await expectMatches([['created_at[lte]', afterCreation]], () => true, true);
    await expectMatches([['created_at[gt]', afterCreation]], () => false, true);
    await expectMatches([['created_at[lt]', beforeCreation]], () => false, true);
  });
});

// ------------------------------------------------------------------ filter= JSON

describe('filter= (the MongoDB-style language)', () => {
  const gold = (l: Lead) => l.custom.tier === 'gold';
  const cases: [string, unknown, (l: Lead) => boolean][] = [
    ['a bare value', { status: 'new' }, (l) => l.status === 'new'],
    ['$eq', { status: { $eq: 'converted' } }, (l) => l.status === 'converted'],
    ['$ne', { status: { $ne: 'converted' } }, (l) => l.status !== 'converted'],
    ['$gt', { lead_score: { $gt: 50 } }, (l) => l.lead_score > 50],
    [
      '$gte and $lte together',
      { lead_score: { $gte: 11, $lte: 74 } },
      (l) => l.lead_score >= 11 && l.lead_score <= 74,
    ],
    ['$lt', { lead_score: { $lt: 11 } }, (l) => l.lead_score < 11],
    ['$in', { status: { $in: ['new', 'lost'] } }, (l) => ['new', 'lost'].includes(l.status)],
    [
      'an array value means $in',
      { status: ['qualified', 'lost'] },
      (l) => ['qualified', 'lost'].includes(l.status),
    ],
    ['$nin', { status: { $nin: ['new', 'lost'] } }, (l) => !['new', 'lost'].includes(l.status)],
    ['$exists: true', { annual_revenue: { $exists: true } }, (l) => l.annual_revenue !== null],
    ['$exists: false', { annual_revenue: { $exists: false } }, (l) => l.annual_revenue === null],
    ['$regex (case-sensitive)', { company: { $regex: '^acme' } }, (l) => l.company === 'acme labs'],
    [
      '$regex with $options "i"',
      { company: { $regex: '^ACME', $options: 'i' } },
      (l) => /^acme/i.test(l.company),
    ],
    ['$regex on a name', { first_name: { $regex: '^q0', $options: 'i' } }, (l) => l.i < 10],
    ['$not', { lead_score: { $not: { $gt: 50 } } }, (l) => !(l.lead_score > 50)],
    ['$all', { tags: { $all: ['even', 'five'] } }, (l) => l.tags.includes('even') && l.tags.includes('five')],
    ['$size', { tags: { $size: 1 } }, (l) => l.tags.length === 1],
    ['a scalar on a list is membership', { tags: 'three' }, (l) => l.tags.includes('three')],
    [
      '$and',
      { $and: [{ tags: 'even' }, { lead_score: { $gte: 40 } }] },
      (l) => l.tags.includes('even') && l.lead_score >= 40,
    ],
    [
      '$or',
      { $or: [{ status: 'new' }, { lead_score: { $gt: 90 } }] },
      (l) => l.status === 'new' || l.lead_score > 90,
    ],
    [
      '$nor',
      { $nor: [{ status: 'new' }, { tags: 'even' }] },
      (l) => !(l.status === 'new' || l.tags.includes('even')),
    ],
    [
      'nested logic',
      { $and: [{ $or: [{ status: 'new' }, { status: 'lost' }] }, { $nor: [{ lead_score: { $lt: 30 } }] }] },
      (l) => ['new', 'lost'].includes(l.status) && l.lead_score >= 30,
    ],
    [
      'timestamps',
      { last_contact_date: { $gte: day(2), $lt: day(5) } },
      (l) => !!l.last_contact_date && l.last_contact_date >= day(2) && l.last_contact_date < day(5),
    ],
    // dotted paths into custom_fields
    ['a dotted path', { 'custom_fields.tier': 'gold' }, gold],
    ['a number in a dotted path', { 'custom_fields.rank': 12 }, (l) => l.i === 12],
    ['$gte on a number in a dotted path', { 'custom_fields.rank': { $gte: 25 } }, (l) => l.i >= 25],
    [
      '$in on numbers in a dotted path',
      { 'custom_fields.rank': { $in: [1, 2, 29] } },
      (l) => [1, 2, 29].includes(l.i),
    ],
    ['a deeper path', { 'custom_fields.nested.level': 2 }, (l) => l.i % 3 === 2],
    ['array membership in a dotted path', { 'custom_fields.regions': 'eu' }, (l) => l.i % 4 === 0],
    [
      '$in over array members in a dotted path',
      { 'custom_fields.regions': { $in: ['apac', 'us'] } },
      (l) => l.i % 4 <= 1,
    ],
    [
      '$regex in a dotted path',
      { 'custom_fields.tier': { $regex: '^SIL', $options: 'i' } },
      (l) => l.custom.tier === 'silver',
    ],
    // MongoDB null semantics
    ['null matches a missing column value', { annual_revenue: null }, (l) => l.annual_revenue === null],
    [
      'null matches missing and explicit null in JSON',
      { 'custom_fields.tier': null },
      (l) => l.custom.tier == null,
    ],
    ['$eq null too', { 'custom_fields.tier': { $eq: null } }, (l) => l.custom.tier == null],
    ['$ne null: present and not null', { 'custom_fields.tier': { $ne: null } }, (l) => l.custom.tier != null],
    [
      '$in with null',
      { 'custom_fields.tier': { $in: [null, 'gold'] } },
      (l) => l.custom.tier == null || gold(l),
    ],
    ['$ne matches missing (JSON)', { 'custom_fields.tier': { $ne: 'gold' } }, (l) => !gold(l)],
    ['$ne matches missing (column)', { annual_revenue: { $ne: 1000.5 } }, (l) => l.annual_revenue !== 1000.5],
    ['$ne matches missing (array in JSON)', { 'custom_fields.regions': { $ne: 'eu' } }, (l) => l.i % 4 !== 0],
    [
      '$nin matches missing (JSON)',
      { 'custom_fields.tier': { $nin: ['gold', 'silver'] } },
      (l) => l.custom.tier == null,
    ],
    [
      '$nin matches missing (column)',
      { last_contact_date: { $nin: [day(1), day(2)] } },
      (l) => l.last_contact_date !== day(1) && l.last_contact_date !== day(2),
    ],
    [
      '$not matches missing',
      { annual_revenue: { $not: { $gt: 10000 } } },
      (l) => l.annual_revenue === null || l.annual_revenue <= 10000,
    ],
    ['$not matches missing (JSON)', { 'custom_fields.tier': { $not: { $regex: 'old' } } }, (l) => !gold(l)],
    [
      '$nor matches missing',
      { $nor: [{ annual_revenue: { $gt: 10000 } }, { last_contact_date: { $lt: day(3) } }] },
      (l) =>
        (l.annual_revenue === null || l.annual_revenue <= 10000) &&
        (l.last_contact_date === null || l.last_contact_date >= day(3)),
    ],
    // negations of conditions Sequelize renders as bare expressions
    ['$nor of a JSON null', { $nor: [{ 'custom_fields.tier': null }] }, (l) => l.custom.tier != null],
    ['$not of $eq null', { annual_revenue: { $not: { $eq: null } } }, (l) => l.annual_revenue !== null],
    ['$not of $exists in JSON', { 'custom_fields.regions': { $not: { $exists: true } } }, (l) => l.i % 4 > 1],
    ['$nor of $size', { $nor: [{ tags: { $size: 0 } }] }, (l) => l.tags.length > 0],
    [
      'a double negation',
      { $nor: [{ company: { $not: { $regex: 'acme', $options: 'i' } } }] },
      (l) => /acme/i.test(l.company),
    ],
    [
      '$exists: true in JSON includes an explicit null',
      { 'custom_fields.tier': { $exists: true } },
      (l) => 'tier' in l.custom,
    ],
    [
      '$exists: false in JSON only when missing',
      { 'custom_fields.tier': { $exists: false } },
      (l) => !('tier' in l.custom),
    ],
  ];

  it.each(cases)('%s', async (_name, f, pick) => {
    await expectMatches(filter(f), pick);
  });

  it('empty $in matches nothing and empty $nin everything', async () => {
    await expectMatches(filter({ status: { $in: [] } }), () => false, true);
    await expectMatches(filter({ status: { $nin: [] } }), () => true, true);
    await expectMatches(filter({ 'custom_fields.tier': { $nin: [] } }), () => true, true);
  });
});

// ------------------------------------------------------------------ search

describe('search', () => {
  const cases: [string, string, (l: Lead) => boolean][] = [
    ['is case-insensitive', 'ACME', (l) => /acme/i.test(l.company)],
    ['matches inside words across fields', 'labs', (l) => l.company === 'acme labs'],
    ['looks at names and emails too', 'q0', (l) => l.i < 10],
    ['takes % literally', '%', (l) => l.company.includes('%')],
    ['takes _ literally', '_', (l) => l.company.includes('_')],
    ['takes a backslash literally', '\\', () => false],
  ];
  it.each(cases)('%s', async (_name, term, pick) => {
    const expected = leads.filter(pick).length;
    await expectMatches([['search', term]], pick, expected === 0);
  });

  it('combines with filters (AND) and ignores surrounding blanks', async () => {
    await expectMatches(
      [
        ['search', '  acme '],
        ['status[in]', 'new,contacted,qualified'],
      ],
      (l) => /acme/i.test(l.company) && ['new', 'contacted', 'qualified'].includes(l.status),
    );
  });
});

// ------------------------------------------------------------------ sort

/** The fixture ordered the way PostgreSQL orders it: NULLs last ascending, first descending; id breaks ties. */
function sorted(spec: string, rows: Lead[] = leads): Lead[] {
  const keys = spec
    .split(',')
    .map((k) => ({ field: k.replace(/^-/, '') as keyof Lead, desc: k.startsWith('-') }));
  keys.push({ field: 'id', desc: keys[keys.length - 1]!.desc });
  const rank = (field: keyof Lead, v: unknown) =>
    field === 'status' ? LEAD_STATUSES.indexOf(v as Lead['status']) : v;
  return [...rows].sort((a, b) => {
    for (const { field, desc } of keys) {
      const x = rank(field, a[field]);
      const y = rank(field, b[field]);
      if (x === y) continue;
      const c = x === null ? 1 : y === null ? -1 : (x as number) < (y as number) ? -1 : 1;
      return desc ? -c : c;
    }
    return 0;
  });
}

describe('sort', () => {
  it.each([
    ['first_name'],
    ['-lead_score'],
    ['status,-lead_score'],
    ['-status,first_name'],
    ['last_contact_date'],
    ['-last_contact_date,first_name'],
    ['-annual_revenue,last_contact_date'],
    ['+status,lead_score'],
  ])('sort=%s', async (spec) => {
    const got = (await list([['sort', spec]])).map((r) => r.first_name);
    expect(got).toEqual(sorted(spec.replace(/^\+/, '')).map((l) => l.first_name));
  });

  it('orders ties by id, so the order is total', async () => {
    const got = (await list([['sort', 'status']])).map((r) => r.id);
    expect(got).toEqual(sorted('status').map((l) => l.id));
  });
});

// ------------------------------------------------------------------ page paging

describe('page paging', () => {
  it('answers the page asked for with {page, limit, total, total_pages}', async () => {
    const res = await api.get(LEADS, { sort: 'first_name', limit: '7', page: '2' });
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ page: 2, limit: 7, total: N, total_pages: 5 });
    expect(res.body.data.map((r: Values) => r.first_name)).toEqual([
      'Q07',
      'Q08',
      'Q09',
      'Q10',
      'Q11',
      'Q12',
      'Q13',
    ]);

    const last = await api.get(LEADS, { sort: 'first_name', limit: '7', page: '5' });
    expect(last.body.data.map((r: Values) => r.first_name)).toEqual(['Q28', 'Q29']);
    expect(last.body.meta).toMatchObject({ page: 5, limit: 7, total: N, total_pages: 5, next_cursor: null });

    const beyond = await api.get(LEADS, { sort: 'first_name', limit: '7', page: '6' });
    expect(beyond.status).toBe(200);
    expect(beyond.body.data).toEqual([]);
    expect(beyond.body.meta).toMatchObject({ page: 6, total: N, total_pages: 5 });
  });

  it('defaults to page 1 of 20 and counts only what the filter matches', async () => {
    const res = await api.get(LEADS);
    expect(res.body.data).toHaveLength(20);
    expect(res.body.meta).toMatchObject({ page: 1, limit: 20, total: N, total_pages: 2 });
    const filtered = await api.get(LEADS, { status: 'new', limit: '2' });
    expect(filtered.body.data).toHaveLength(2);
    expect(filtered.body.meta).toMatchObject({ page: 1, limit: 2, total: 5, total_pages: 3 });
    const none = await api.get(LEADS, { status: 'new', lead_score: '1' });
    expect(none.body).toEqual({ data: [], meta: expect.objectContaining({ total: 0, total_pages: 0 }) });
  });

  it('allows at most 100 per page', async () => {
    const res = await api.get(LEADS, { limit: '100' });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(N);
    for (const bad of ['101', '0', '-1', '2.5', 'ten', '']) {
      expectError(await api.get(LEADS, { limit: bad }), 400, { code: 'INVALID_QUERY', fields: ['limit'] });
    }
    for (const bad of ['0', 'x']) {
      expectError(await api.get(LEADS, { page: bad }), 400, { code: 'INVALID_QUERY', fields: ['page'] });
    }
  });
});

// ------------------------------------------------------------------ cursor paging

interface Walk {
  ids: string[];
  pages: Values[][];
  metas: Values[];
}

/** Follows next_cursor from the first page until it is null. */
async function walk(query: QueryPairs, limit: number): Promise<Walk> {
  const out: Walk = { ids: [], pages: [], metas: [] };
  let cursor = '';
  for (let guard = 0; guard < 50; guard++) {
    const res = await api.get(LEADS, [...query, ['limit', String(limit)], ['cursor', cursor]]);
    if (res.status !== 200) throw new Error(`page ${guard}: ${res.status} ${JSON.stringify(res.body)}`);
    const { data, meta } = res.body as { data: Values[]; meta: Values };
    expect(data.length).toBeLessThanOrEqual(limit);
    expect(meta.limit).toBe(limit);
    expect(meta.has_more).toBe(meta.next_cursor !== null);
    expect(meta).not.toHaveProperty('page');
    out.pages.push(data);
    out.metas.push(meta);
    out.ids.push(...data.map((r) => r.id as string));
    if (meta.next_cursor === null) return out;
    expect(data).toHaveLength(limit);
    cursor = meta.next_cursor as string;
  }
  throw new Error('the cursor never ended');
}

describe('cursor paging', () => {
  it.each([
    ['first_name', 7],
    ['-lead_score', 4],
    ['status,-lead_score', 6],
    ['last_contact_date', 4],
    ['-last_contact_date,first_name', 4],
    ['-annual_revenue,last_contact_date', 5],
    ['-status,-last_contact_date', 3],
  ])('sort=%s, limit %i: every record once, in order, no gaps', async (sort, limit) => {
    const w = await walk([['sort', sort]], limit);
    expect(w.ids).toEqual(sorted(sort).map((l) => l.id));
    expect(new Set(w.ids).size).toBe(N);
    expect(w.pages).toHaveLength(Math.ceil(N / limit));
    for (const meta of w.metas) expect(meta).not.toHaveProperty('total');
  });

  it('walks the default order the same way page mode lists it', async () => {
    const w = await walk([], 8);
    expect(w.ids).toEqual((await list([])).map((r) => r.id));
  });

  it('keeps the filter and search while paging', async () => {
    const w = await walk([...filter({ lead_score: { $gte: 20 } }), ['sort', '-lead_score']], 5);
    expect(w.ids).toEqual(
      sorted(
        '-lead_score',
        leads.filter((l) => l.lead_score >= 20),
      ).map((l) => l.id),
    );
    const s = await walk(
      [
        ['search', 'acme'],
        ['status[ne]', 'lost'],
        ['sort', 'last_contact_date'],
      ],
      2,
    );
    expect(s.ids).toEqual(
      sorted(
        'last_contact_date',
        leads.filter((l) => /acme/i.test(l.company) && l.status !== 'lost'),
      ).map((l) => l.id),
    );
  });

  it('pages on a sort key that is not among the selected fields', async () => {
    const w = await walk(
      [
        ['sort', '-last_contact_date'],
        ['fields', 'email'],
      ],
      6,
    );
    expect(w.ids).toEqual(sorted('-last_contact_date').map((l) => l.id));
    for (const row of w.pages.flat()) expect(Object.keys(row).sort()).toEqual(['email', 'id']);
  });

  it('adds meta.total only with count=true', async () => {
    const w = await walk(
      [
        ['status[in]', 'new,lost'],
        ['count', 'true'],
      ],
      4,
    );
    expect(w.ids).toHaveLength(10);
    for (const meta of w.metas) expect(meta.total).toBe(10);
    const without = await api.get(LEADS, { cursor: '', count: 'false' });
    expect(without.body.meta).not.toHaveProperty('total');
    expectError(await api.get(LEADS, { cursor: '', count: 'yes' }), 400, { fields: ['count'] });
  });

  it('leaves out the total of page mode with count=false, and keeps the page', async () => {
    const counted = await api.get(LEADS, { 'status[in]': 'new,lost', limit: '4' });
    expect(counted.body.meta).toMatchObject({ page: 1, limit: 4, total: 10, total_pages: 3 });
    const uncounted = await api.get(LEADS, { 'status[in]': 'new,lost', limit: '4', count: 'false' });
    expect(uncounted.body.meta).not.toHaveProperty('total');
    expect(uncounted.body.meta).not.toHaveProperty('total_pages');
    expect(uncounted.body.meta).toMatchObject({ page: 1, limit: 4 });
    expect(uncounted.body.data.map((r: Values) => r.id)).toEqual(counted.body.data.map((r: Values) => r.id));
  });

  it('refuses a cursor reused with a different filter, sort or search, or by someone else', async () => {
    const first = await api.get(LEADS, { sort: 'first_name', status: 'new', limit: '2', cursor: '' });
    const cursor = first.body.meta.next_cursor as string;
    expect(typeof cursor).toBe('string');
    const ok = await api.get(LEADS, { sort: 'first_name', status: 'new', limit: '2', cursor });
    expect(ok.status).toBe(200);
    expect(ok.body.data.map((r: Values) => r.first_name)).toEqual(['Q12', 'Q18']);

    const changes: Record<string, string>[] = [
      { sort: 'first_name', status: 'lost', limit: '2', cursor },
      { sort: 'first_name', limit: '2', cursor },
      { sort: 'first_name', filter: '{"status":"new"}', limit: '2', cursor },
      { sort: '-first_name', status: 'new', limit: '2', cursor },
      { sort: 'first_name,lead_score', status: 'new', limit: '2', cursor },
      { sort: 'first_name', status: 'new', search: 'q', limit: '2', cursor },
    ];
    for (const changed of changes) {
      expectError(await api.get(LEADS, changed), 400, { code: 'INVALID_QUERY', message: /cursor/ });
    }
    const manager = apiClient(t, org.manager.auth, []);
    expectError(await manager.get(LEADS, { sort: 'first_name', status: 'new', limit: '2', cursor }), 400, {
      message: /cursor/,
    });
    const plain = (await api.get(LEADS, { sort: 'first_name', limit: '2', cursor: '' })).body.meta
      .next_cursor;
    expect((await api.get(LEADS, { sort: 'first_name', limit: '2', cursor: plain })).status).toBe(200);
    expectError(await api.get('/api/v1/contacts', { sort: 'first_name', cursor: plain }), 400, {
      message: /cursor/,
    });
  });

  it('refuses a garbage cursor', async () => {
    const forged = Buffer.from(JSON.stringify({ k: ['Q05', leads[5]!.id], s: 'x'.repeat(22) })).toString(
      'base64url',
    );
    for (const cursor of ['garbage', '%%%', 'eyJ9', forged, Buffer.from('[1,2]').toString('base64url')]) {
      expectError(await api.get(LEADS, { sort: 'first_name', cursor }), 400, {
        code: 'INVALID_QUERY',
        message: /cursor/,
      });
    }
  });
});

// ------------------------------------------------------------------ fields and count

describe('fields=', () => {
  it('returns only the fields asked for, plus id', async () => {
    const rows = await list([
      ['fields', 'email, status'],
      ['status', 'new'],
    ]);
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['email', 'id', 'status']);
    expect(rows.map((r) => r.email).sort()).toEqual(
      leads
        .filter((l) => l.status === 'new')
        .map((l) => l.email)
        .sort(),
    );
    const ids = await list([['fields', 'id']]);
    for (const row of ids) expect(Object.keys(row)).toEqual(['id']);
  });

  it('works on a single record, and sorting on a field that is not selected', async () => {
    const lead = leads[8]!;
    const one = await api.get(`${LEADS}/${lead.id}`, { fields: 'first_name,custom_fields' });
    expect(one.body).toEqual({ data: { id: lead.id, first_name: 'Q08', custom_fields: lead.custom } });
    const rows = await list([
      ['fields', 'first_name'],
      ['sort', '-lead_score'],
    ]);
    expect(rows.map((r) => r.first_name)).toEqual(sorted('-lead_score').map((l) => l.first_name));
    expect(Object.keys(rows[0]!).sort()).toEqual(['first_name', 'id']);
  });
});

describe('count', () => {
  it('page mode always counts what matches', async () => {
    const res = await api.get(LEADS, { 'tags[all]': 'even,three', count: 'true', limit: '1' });
    const expected = leads.filter((l) => l.tags.includes('even') && l.tags.includes('three')).length;
    expect(res.body.meta).toMatchObject({ page: 1, limit: 1, total: expected, total_pages: expected });
    expect(res.body.data).toHaveLength(1);
  });
});
