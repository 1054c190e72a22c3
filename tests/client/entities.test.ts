import crypto from 'node:crypto';
import { ApiError, type EntityApi, type NexaClient } from '../../client/src/index.js';
import { filterParams } from '../../client/src/query.js';
import { clientFor, failure, startClientApp, type ClientTestApp } from '../helpers/client';
import { createTenant, type Tenant } from '../helpers/tenant';

let t: ClientTestApp;
/** Holds only the five leads below, so whole-entity lists are predictable. */
let listOrg: Tenant;
let org: Tenant;
let Lead: EntityApi;
let OrgLead: EntityApi;
let createdBefore: string;

const tag = () => crypto.randomBytes(4).toString('hex');
const COMPANY = `Acme ${tag()}`;
const names = (rows: Record<string, unknown>[]) => rows.map((r) => r.first_name);

const LEADS = [
  {
    first_name: 'Ada',
    status: 'new',
    lead_score: 10,
    tags: ['vip', 'east'],
    custom_fields: { tier: 'gold', rank: 3 },
    industry: 'tech',
    city: 'Paris',
  },
  {
    first_name: 'Bob',
    status: 'contacted',
    lead_score: 40,
    tags: ['east'],
    custom_fields: { tier: 'silver', rank: 12 },
    industry: null,
    city: 'Berlin',
  },
  {
    first_name: 'Cyd',
    status: 'qualified',
    lead_score: 70,
    tags: [],
    custom_fields: { tier: 'gold', rank: 7 },
    industry: 'retail',
    city: 'paris',
  },
  {
    first_name: 'Dee',
    status: 'lost',
    lead_score: 90,
    tags: ['vip'],
    custom_fields: {},
    industry: 'tech',
    city: 'Rome',
  },
  {
    first_name: 'Eve',
    status: 'new',
    lead_score: 55,
    tags: ['west'],
    custom_fields: { rank: 1 },
    industry: null,
    city: 'Oslo',
  },
];

beforeAll(async () => {
  // Counts for a pager stop at 3 here: page() meets a bounded total with five leads, count() stays exact.
  t = await startClientApp({ LIST_COUNT_LIMIT: '3' });
  listOrg = await createTenant(t.c, 'Client Lists');
  org = await createTenant(t.c, 'Client Writes');
  Lead = clientFor(t, listOrg.admin).entities.Lead;
  OrgLead = clientFor(t, org.admin).entities.Lead;
  createdBefore = new Date(Date.now() - 1000).toISOString();
  // One by one, so creation order is the alphabetical order of the names.
  for (const lead of LEADS) {
    await Lead.create({
      ...lead,
      company: COMPANY,
      email: `${lead.first_name.toLowerCase()}-${tag()}@example.com`,
    });
  }
});
afterAll(() => t.close());

describe('list', () => {
  it('sorts, limits, skips and selects fields', async () => {
    const rows = await Lead.list('-lead_score', 2, 1, ['first_name', 'lead_score']);
    expect(rows).toEqual([
      expect.objectContaining({ first_name: 'Cyd', lead_score: 70 }),
      expect.objectContaining({ first_name: 'Eve', lead_score: 55 }),
    ]);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['first_name', 'id', 'lead_score']);
  });

  it('sorts by Base44 built-in field names, in either direction', async () => {
    expect(names(await Lead.list('created_date'))).toEqual(['Ada', 'Bob', 'Cyd', 'Dee', 'Eve']);
    expect(names(await Lead.list('-created_date', 2))).toEqual(['Eve', 'Dee']);
    // An enum sorts in its declared order: new, contacted, qualified, ..., lost.
    expect(names(await Lead.list(['status', '-lead_score']))).toEqual(['Eve', 'Ada', 'Bob', 'Cyd', 'Dee']);
  });

  it('takes a comma list of fields too, and skips without a limit', async () => {
    const rows = await Lead.list('first_name', undefined, 3, 'first_name');
    expect(rows.map((r) => Object.keys(r).sort())).toEqual([
      ['first_name', 'id'],
      ['first_name', 'id'],
    ]);
    expect(names(rows)).toEqual(['Dee', 'Eve']);
  });
});

describe('filter: each operator', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['equality', { status: 'new' }, ['Ada', 'Eve']],
    ['$eq', { status: { $eq: 'qualified' } }, ['Cyd']],
    ['$ne', { status: { $ne: 'new' } }, ['Bob', 'Cyd', 'Dee']],
    ['$gt', { lead_score: { $gt: 40 } }, ['Cyd', 'Dee', 'Eve']],
    ['$gte', { lead_score: { $gte: 40 } }, ['Bob', 'Cyd', 'Dee', 'Eve']],
    ['$lt', { lead_score: { $lt: 40 } }, ['Ada']],
    ['$lte', { lead_score: { $lte: 40 } }, ['Ada', 'Bob']],
    ['a range', { lead_score: { $gt: 10, $lt: 70 } }, ['Bob', 'Eve']],
    ['an array (meaning $in)', { status: ['new', 'lost'] }, ['Ada', 'Dee', 'Eve']],
    ['$in', { status: { $in: ['contacted', 'qualified'] } }, ['Bob', 'Cyd']],
    ['$nin', { status: { $nin: ['new', 'lost'] } }, ['Bob', 'Cyd']],
    ['null (matches missing)', { industry: null }, ['Bob', 'Eve']],
    ['$exists', { industry: { $exists: true } }, ['Ada', 'Cyd', 'Dee']],
    ['$regex with $options i', { city: { $regex: '^par', $options: 'i' } }, ['Ada', 'Cyd']],
    ['a scalar on an array field (membership)', { tags: 'vip' }, ['Ada', 'Dee']],
    ['$all', { tags: { $all: ['vip', 'east'] } }, ['Ada']],
    ['$size', { tags: { $size: 0 } }, ['Cyd']],
    ['$not', { lead_score: { $not: { $gt: 50 } } }, ['Ada', 'Bob']],
    ['$or', { $or: [{ status: 'lost' }, { lead_score: { $lt: 20 } }] }, ['Ada', 'Dee']],
    ['$and', { $and: [{ tags: 'east' }, { lead_score: { $gt: 20 } }] }, ['Bob']],
    ['$nor', { $nor: [{ status: 'new' }, { tags: 'vip' }] }, ['Bob', 'Cyd']],
    ['a JSON path', { 'custom_fields.tier': 'gold' }, ['Ada', 'Cyd']],
    ['a JSON path compared as a number', { 'custom_fields.rank': { $gte: 7 } }, ['Bob', 'Cyd']],
    [
      'a Base44 built-in date',
      { created_date: { $gte: createdBefore } },
      ['Ada', 'Bob', 'Cyd', 'Dee', 'Eve'],
    ],
  ];
  it.each(cases)('%s', async (_, query, expected) => {
    // `createdBefore` is only known once beforeAll has run.
    const q = query.created_date ? { created_date: { $gte: createdBefore } } : query;
    expect(names(await Lead.filter({ company: COMPANY, ...q }, 'first_name'))).toEqual(expected);
  });

  it('with sort, limit, skip and fields', async () => {
    const rows = await Lead.filter({ company: COMPANY, tags: 'east' }, '-lead_score', 1, 1, ['first_name']);
    expect(rows).toEqual([{ id: expect.any(String), first_name: 'Ada' }]);
  });

  it('says simple conditions in the query string and sends the rest as JSON', () => {
    const params = new URLSearchParams();
    filterParams(
      {
        status: 'new',
        lead_score: { $gte: 50 },
        source: ['web', 'ads'],
        industry: null,
        limit: 3,
        $or: [{ city: 'Paris' }, { updated_date: { $lt: '2026-01-01' } }],
      },
      params,
    );
    expect([...params]).toEqual([
      ['status', 'new'],
      ['lead_score[gte]', '50'],
      ['source[in]', 'web,ads'],
      [
        'filter',
        JSON.stringify({
          industry: null,
          limit: 3,
          $or: [{ city: 'Paris' }, { updated_at: { $lt: '2026-01-01' } }],
        }),
      ],
    ]);
  });
});

describe('count and search', () => {
  it('counts what a query matches, or everything', async () => {
    expect(await Lead.count({ company: COMPANY })).toBe(5);
    expect(await Lead.count({ company: COMPANY, status: 'new' })).toBe(2);
    expect(await Lead.count({ lead_score: { $gte: 1000 } })).toBe(0);
    expect(await Lead.count()).toBe(5);
  });

  it("pages with the server's bounded count, exact when few match or the page ends the list", async () => {
    const first = await Lead.page({ company: COMPANY }, 'first_name', 2);
    expect(names(first.records)).toEqual(['Ada', 'Bob']);
    expect(first).toMatchObject({ total: 3, totalExact: false });
    const last = await Lead.page({ company: COMPANY }, 'first_name', 2, 4);
    expect(last.records).toHaveLength(1);
    expect(last).toMatchObject({ total: 5, totalExact: true });
    expect(await Lead.page({ company: COMPANY, status: 'new' }, 'first_name')).toMatchObject({
      total: 2,
      totalExact: true,
    });
  });

  it('searches the searchable fields, narrowed by filters', async () => {
    expect(names(await Lead.search('Cyd'))).toEqual(['Cyd']);
    const acme = COMPANY.split(' ')[1]!;
    expect(names(await Lead.search(acme, { status: 'new' }, 'first_name'))).toEqual(['Ada', 'Eve']);
    expect(names(await Lead.search(acme, undefined, '-lead_score', 2))).toEqual(['Dee', 'Cyd']);
  });
});

describe('writes', () => {
  it('creates, gets, updates (only the fields given) and deletes', async () => {
    const created = await OrgLead.create({
      email: `w-${tag()}@example.com`,
      first_name: 'Wes',
      lead_score: 5,
    });
    expect(created).toMatchObject({
      id: expect.any(String),
      first_name: 'Wes',
      status: 'new',
      lead_score: 5,
    });
    expect(await OrgLead.get(created.id)).toEqual(created);
    const updated = await OrgLead.update(created.id, { status: 'contacted' });
    expect(updated).toMatchObject({ first_name: 'Wes', status: 'contacted', lead_score: 5 });
    await expect(OrgLead.delete(created.id)).resolves.toBeUndefined();
    const gone = await failure(OrgLead.get(created.id));
    expect(gone).toBeInstanceOf(ApiError);
    expect(gone).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('bulk-creates all records or none', async () => {
    const company = `Bulk ${tag()}`;
    const rows = await OrgLead.bulkCreate(
      [1, 2, 3].map((i) => ({ email: `b${i}-${tag()}@example.com`, company, lead_score: i })),
    );
    expect(rows.map((r) => r.lead_score)).toEqual([1, 2, 3]);
    const error = await failure(
      OrgLead.bulkCreate([
        { email: `ok-${tag()}@example.com`, company },
        { email: 'not an address', company },
      ]),
    );
    expect(error).toMatchObject({ name: 'ApiError', status: 400, code: 'VALIDATION_FAILED' });
    expect(await OrgLead.count({ company })).toBe(3);
  });

  it('fetches a limit above the server page size page by page', async () => {
    const company = `Many ${tag()}`;
    await OrgLead.bulkCreate(
      Array.from({ length: 130 }, (_, i) => ({
        email: `m${i}-${tag()}@example.com`,
        company,
        lead_score: i % 100,
      })),
    );
    const rows = await OrgLead.filter({ company }, 'email', 125);
    expect(rows).toHaveLength(125);
    expect(new Set(rows.map((r) => r.id)).size).toBe(125);
    expect(rows.map((r) => r.email)).toEqual([...rows.map((r) => String(r.email))].sort());
    expect(await OrgLead.filter({ company }, 'email', 200, 120)).toHaveLength(10);
  });
});

describe('errors are ApiError with status, code, message and details', () => {
  let client: NexaClient;
  beforeAll(() => {
    client = clientFor(t, org.admin);
  });

  it('a validation failure names the field', async () => {
    const error = await failure(client.entities.Lead.create({ first_name: 'No email' }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/email/);
    expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'email' })]));
  });

  it('a filter on an unknown field is refused, naming it', async () => {
    const error = await failure(client.entities.Lead.filter({ no_such_field: 'x' }));
    expect(error).toMatchObject({ status: 400, code: 'INVALID_QUERY' });
    expect(error.message).toContain('no_such_field');
  });

  it('a role without access gets 403, and no session 401', async () => {
    const support = clientFor(t, org.support);
    expect(await failure(support.entities.Lead.create({ email: `s-${tag()}@example.com` }))).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
    const anonymous = clientFor(t);
    const error = await failure(anonymous.entities.Lead.list());
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(error.message).toMatch(/Authentication required/);
  });

  it('an unreachable server is a NETWORK_ERROR with status 0', async () => {
    const offline = clientFor({ ...t, url: 'http://127.0.0.1:9' }, org.admin);
    const error = await failure(offline.entities.Lead.list());
    expect(error).toMatchObject({ name: 'ApiError', status: 0, code: 'NETWORK_ERROR' });
    expect(error.message).toContain('http://127.0.0.1:9/api/v1/leads');
  });
});
