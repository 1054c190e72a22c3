import {
  sdkClient,
  sdkError,
  startBase44Stage,
  stopBase44Stage,
  type ListeningApp,
  type Sdk,
} from '../helpers/sdk';
import type { Tenant } from '../helpers/tenant';

/**
 * The official @base44/sdk, unmodified, against our server: every entity method, with each filter and
 * update operator, paging, aggregation, bulk writes, upsert, import and the errors apps rely on.
 */
type Lead = Record<string, unknown> & { id: string };

let app: ListeningApp;
let org: Tenant;
let other: Tenant;
let admin: Sdk;
let Lead: Sdk['entities'][string];
const APP_ID = 'conformance-app';

beforeAll(async () => {
  ({ app, org, other } = await startBase44Stage(APP_ID, 'SDK'));
  admin = sdkClient(app, APP_ID, org.admin.token);
  Lead = admin.entities.Lead!;
});
afterAll(() => stopBase44Stage(app));

const ids = (rows: unknown) => (rows as Lead[]).map((r) => r.id).sort();

describe('records', () => {
  it('creates, reads, merges an update and deletes, with Base44 built-in fields', async () => {
    const created = (await Lead.create({
      email: 'Ada@Example.com',
      first_name: 'Ada',
      lead_score: 40,
      not_a_field: 'dropped',
      id: '00000000-0000-4000-8000-000000000000',
      created_date: '2001-01-01T00:00:00Z',
      created_by: 'someone@else.com',
    })) as Lead;
    expect(created).toMatchObject({
      email: 'ada@example.com',
      first_name: 'Ada',
      lead_score: 40,
      created_by: org.admin.email,
      created_by_id: org.admin.id,
    });
    expect(created).not.toHaveProperty('not_a_field');
    expect(created).not.toHaveProperty('created_at');
    expect(created.id).not.toBe('00000000-0000-4000-8000-000000000000');
    expect(Date.now() - Date.parse(created.created_date as string)).toBeLessThan(60_000);

    expect(await Lead.get(created.id)).toEqual(created);
    const updated = (await Lead.update(created.id, { ...created, company: 'Engines Ltd' })) as Lead;
    expect(updated).toMatchObject({ first_name: 'Ada', company: 'Engines Ltd', lead_score: 40 });
    expect(await Lead.delete(created.id)).toEqual({ success: true });
    expect((await sdkError(Lead.get(created.id))).status).toBe(404);
  });

  it('creates in bulk, all or nothing', async () => {
    const made = (await Lead.bulkCreate([
      { email: 'b1@example.com' },
      { email: 'b2@example.com' },
    ])) as Lead[];
    expect(made.map((l) => l.email)).toEqual(['b1@example.com', 'b2@example.com']);
    const err = await sdkError(Lead.bulkCreate([{ email: 'b3@example.com' }, { email: 'not an email' }]));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/email/);
    expect(await Lead.count({ email: 'b3@example.com' })).toBe(0);
  });

  it('updates in bulk, each record its own changes, all or nothing', async () => {
    const [a, b] = (await Lead.bulkCreate([
      { email: 'u1@example.com' },
      { email: 'u2@example.com' },
    ])) as Lead[];
    const updated = (await Lead.bulkUpdate([
      { id: a!.id, status: 'contacted' },
      { id: b!.id, lead_score: 77 },
    ])) as Lead[];
    expect(updated.map((l) => [l.status, l.lead_score])).toEqual([
      ['contacted', 0],
      ['new', 77],
    ]);
    const err = await sdkError(
      Lead.bulkUpdate([
        { id: a!.id, status: 'qualified' },
        { id: b!.id, status: 'nonsense' },
      ]),
    );
    expect(err.status).toBe(422);
    expect(((await Lead.get(a!.id)) as Lead).status).toBe('contacted');
    expect((await sdkError(Lead.bulkUpdate(Array.from({ length: 501 }, () => ({ id: a!.id }))))).status).toBe(
      422,
    );
  });
});

describe('queries', () => {
  const tag = `q-${Date.now()}`;
  let seeded: Lead[];
  beforeAll(async () => {
    seeded = (await Lead.bulkCreate([
      {
        email: 'q1@example.com',
        first_name: 'Alpha',
        lead_score: 10,
        status: 'new',
        tags: [tag, 'hot'],
        custom_fields: { tier: 'gold', seats: 5 },
      },
      {
        email: 'q2@example.com',
        first_name: 'beta',
        lead_score: 50,
        status: 'contacted',
        tags: [tag],
        custom_fields: { tier: 'silver' },
      },
      {
        email: 'q3@example.com',
        first_name: 'Gamma',
        lead_score: 90,
        status: 'qualified',
        tags: [tag, 'hot', 'vip'],
        company: 'Acme',
      },
      { email: 'q4@example.com', lead_score: 70, status: 'lost', tags: [tag] },
    ])) as Lead[];
  });
  const mine = { tags: tag };
  const find = async (q: object) => ids(await Lead.filter({ ...mine, ...q }));
  const idsOf = (...n: number[]) => n.map((i) => seeded[i]!.id).sort();

  it.each([
    ['equality', { status: 'new' }, [0]],
    ['an array meaning $in', { status: ['new', 'lost'] }, [0, 3]],
    ['$eq', { lead_score: { $eq: 50 } }, [1]],
    ['$ne (matches missing)', { company: { $ne: 'Acme' } }, [0, 1, 3]],
    ['$gt', { lead_score: { $gt: 50 } }, [2, 3]],
    ['$gte', { lead_score: { $gte: 50 } }, [1, 2, 3]],
    ['$lt', { lead_score: { $lt: 50 } }, [0]],
    ['$lte', { lead_score: { $lte: 50 } }, [0, 1]],
    ['$in', { status: { $in: ['contacted', 'qualified'] } }, [1, 2]],
    ['$nin (matches missing)', { company: { $nin: ['Acme'] } }, [0, 1, 3]],
    ['$exists true', { company: { $exists: true } }, [2]],
    ['$exists false', { company: { $exists: false } }, [0, 1, 3]],
    ['null matching missing', { first_name: null }, [3]],
    ['$regex', { first_name: { $regex: '^[AG]' } }, [0, 2]],
    ['$regex with $options i', { first_name: { $regex: '^b', $options: 'i' } }, [1]],
    ['$not', { lead_score: { $not: { $gt: 60 } } }, [0, 1]],
    ['a scalar matching list membership', { tags: 'vip' }, [2]],
    ['$all', { tags: { $all: ['hot', 'vip'] } }, [2]],
    ['$size', { tags: { $size: 2 } }, [0]],
    ['$and', { $and: [{ lead_score: { $gt: 20 } }, { lead_score: { $lt: 80 } }] }, [1, 3]],
    ['$or', { $or: [{ status: 'new' }, { lead_score: { $gte: 90 } }] }, [0, 2]],
    ['$nor', { $nor: [{ status: 'new' }, { status: 'lost' }] }, [1, 2]],
    ['a dotted path into custom_fields', { 'custom_fields.tier': 'gold' }, [0]],
    ['a number inside custom_fields', { 'custom_fields.seats': { $gte: 5 } }, [0]],
  ])('filters with %s', async (_what, query, expected) => {
    expect(await find(query)).toEqual(idsOf(...expected));
  });

  it('filters on Base44 built-in fields: created_date, created_by (email) and created_by_id', async () => {
    const before = new Date(Date.now() - 60_000).toISOString();
    expect(await find({ created_date: { $gte: before } })).toEqual(idsOf(0, 1, 2, 3));
    expect(await find({ created_by: org.admin.email })).toEqual(idsOf(0, 1, 2, 3));
    expect(await find({ created_by: 'nobody@example.com' })).toEqual([]);
    expect(await find({ created_by_id: org.admin.id })).toEqual(idsOf(0, 1, 2, 3));
  });

  it('sorts, limits, skips and selects fields', async () => {
    const sorted = (await Lead.filter(mine, '-lead_score', 2, 1, ['email', 'lead_score'])) as Lead[];
    expect(sorted.map((l) => l.lead_score)).toEqual([70, 50]);
    expect(Object.keys(sorted[0]!).sort()).toEqual(['email', 'id', 'lead_score']);
    const byDate = (await Lead.filter(mine, 'created_date')) as Lead[];
    expect(byDate.map((l) => l.id)).toEqual(
      [...byDate]
        .sort(
          (a, b) => String(a.created_date).localeCompare(String(b.created_date)) || a.id.localeCompare(b.id),
        )
        .map((l) => l.id),
    );
  });

  it('pages with a cursor tied to its query', async () => {
    const seen: string[] = [];
    let page = (await Lead.filter(mine, { sort: 'lead_score', limit: 3 })) as {
      items: Lead[];
      next_cursor: string | null;
      has_more: boolean;
    };
    seen.push(...page.items.map((l) => l.id));
    expect(page.has_more).toBe(true);
    const err = await sdkError(Lead.filter({ status: 'new' }, { cursor: page.next_cursor, limit: 3 }));
    expect(err.status).toBe(400);
    while (page.has_more) {
      page = (await Lead.filter(mine, {
        sort: 'lead_score',
        limit: 3,
        cursor: page.next_cursor,
      })) as typeof page;
      seen.push(...page.items.map((l) => l.id));
    }
    expect(seen.sort()).toEqual(idsOf(0, 1, 2, 3));
    expect(page.next_cursor).toBeNull();
  });

  it('lists distinct values', async () => {
    const page = (await Lead.filter(mine, { distinct: 'status', limit: 2 })) as {
      items: string[];
      next_cursor: string | null;
      has_more: boolean;
    };
    expect(page.items).toEqual(['new', 'contacted']);
    const next = (await Lead.filter(mine, {
      distinct: 'status',
      limit: 5,
      cursor: page.next_cursor,
    })) as typeof page;
    expect(next.items).toEqual(['qualified', 'lost']);
    expect(next.has_more).toBe(false);
  });

  it('counts', async () => {
    expect(await Lead.count(mine)).toBe(4);
    expect(await Lead.count({ ...mine, lead_score: { $gt: 40 } })).toBe(3);
  });

  it('aggregates in SQL, in camelCase or snake_case', async () => {
    const { rows } = (await Lead.aggregate({
      query: mine,
      groupBy: 'status',
      sum: 'lead_score',
      avg: 'lead_score',
      min: 'lead_score',
      max: 'lead_score',
      countDistinct: 'email',
      sort: '-sum_lead_score',
      having: { count: { $gte: 1 } },
    })) as {
      rows: Record<string, unknown>[];
    };
    expect(rows[0]).toEqual({
      status: 'qualified',
      count: 1,
      sum_lead_score: 90,
      avg_lead_score: 90,
      min_lead_score: 90,
      max_lead_score: 90,
      count_distinct_email: 1,
    });
    expect(rows).toHaveLength(4);
    const byDay = (await Lead.aggregate({
      query: mine,
      date_bucket: { field: 'created_date', unit: 'day' },
    } as never)) as { rows: Record<string, unknown>[]; truncated: boolean };
    expect(byDay.rows).toHaveLength(1);
    expect(byDay.rows[0]).toMatchObject({ count: 4 });
    expect(byDay.rows[0]!.created_date).toMatch(/T00:00:00.000Z$/);
    expect(byDay.truncated).toBe(false);
  });
});

describe('updateMany with each update operator', () => {
  const tag = `um-${Date.now()}`;
  let id: string;
  beforeAll(async () => {
    id = (
      (await Lead.create({
        email: 'um@example.com',
        tags: [tag, 'a'],
        lead_score: 10,
        annual_revenue: 100,
        title: 'CTO',
        custom_fields: { x: 1 },
      })) as Lead
    ).id;
  });
  const current = async () => (await Lead.get(id)) as Lead;

  it.each([
    [
      '$set',
      { $set: { company: 'Set Co', 'custom_fields.tier': 'gold' } },
      (l: Lead) => expect(l).toMatchObject({ company: 'Set Co', custom_fields: { x: 1, tier: 'gold' } }),
    ],
    ['$unset', { $unset: { company: '' } }, (l: Lead) => expect(l.company).toBeNull()],
    ['$inc', { $inc: { lead_score: 5 } }, (l: Lead) => expect(l.lead_score).toBe(15)],
    ['$mul', { $mul: { annual_revenue: 2.5 } }, (l: Lead) => expect(l.annual_revenue).toBe(250)],
    ['$min', { $min: { lead_score: 3 } }, (l: Lead) => expect(l.lead_score).toBe(3)],
    ['$max', { $max: { lead_score: 80 } }, (l: Lead) => expect(l.lead_score).toBe(80)],
    [
      '$rename',
      { $rename: { title: 'industry' } },
      (l: Lead) => expect([l.title, l.industry]).toEqual([null, 'CTO']),
    ],
    [
      '$currentDate',
      { $currentDate: { last_contact_date: true } },
      (l: Lead) => expect(Date.now() - Date.parse(l.last_contact_date as string)).toBeLessThan(60_000),
    ],
    [
      '$addToSet',
      { $addToSet: { tags: { $each: ['a', 'b'] } } },
      (l: Lead) => expect(l.tags).toEqual([tag, 'a', 'b']),
    ],
    ['$push', { $push: { tags: 'a' } }, (l: Lead) => expect(l.tags).toEqual([tag, 'a', 'b', 'a'])],
    ['$pull', { $pull: { tags: 'a' } }, (l: Lead) => expect(l.tags).toEqual([tag, 'b'])],
  ])('%s', async (_op, data, check) => {
    expect(await Lead.updateMany({ tags: tag }, data)).toEqual({
      success: true,
      updated: 1,
      has_more: false,
    });
    check(await current());
  });

  it('updates 500 at a time and says when more match', async () => {
    const batch = `batch-${Date.now()}`;
    await Lead.bulkCreate(
      Array.from({ length: 501 }, (_, i) => ({ email: `m${i}@example.com`, tags: [batch] })),
    );
    const first = await Lead.updateMany({ tags: batch, status: 'new' }, { $set: { status: 'contacted' } });
    expect(first).toEqual({ success: true, updated: 500, has_more: true });
    expect(await Lead.updateMany({ tags: batch, status: 'new' }, { $set: { status: 'contacted' } })).toEqual({
      success: true,
      updated: 1,
      has_more: false,
    });
  });

  it('refuses unknown operators, fields and invalid results, changing nothing', async () => {
    expect((await sdkError(Lead.updateMany({ tags: tag }, { $bogus: { a: 1 } }))).status).toBe(400);
    expect((await sdkError(Lead.updateMany({ tags: tag }, { $set: { nope: 1 } }))).status).toBe(400);
    expect((await sdkError(Lead.updateMany({ tags: tag }, { $inc: { lead_score: 1000 } }))).status).toBe(422);
    expect((await current()).lead_score).toBe(80);
  });
});

describe('upsert, deleteMany and import', () => {
  it('creates new keys, merges existing ones, last record with a key wins', async () => {
    const existing = (await Lead.create({
      email: 'up1@example.com',
      first_name: 'Old',
      company: 'Keep',
    })) as Lead;
    const result = (await Lead.upsert(
      [
        { email: 'up1@example.com', first_name: 'First' },
        { email: 'up2@example.com', first_name: 'New' },
        { email: 'up1@example.com', first_name: 'Newest' },
      ],
      { key: 'email' },
    )) as { created: number; updated: number; records: Lead[] };
    expect([result.created, result.updated]).toEqual([1, 1]);
    expect(result.records.find((r) => r.email === 'up1@example.com')).toMatchObject({
      id: existing.id,
      first_name: 'Newest',
      company: 'Keep',
    });
    const compound = (await Lead.upsert([{ email: 'up2@example.com', source: 'website', lead_score: 9 }], {
      key: ['email', 'source'],
    })) as typeof result;
    expect([compound.created, compound.updated]).toEqual([0, 1]);
    expect((await sdkError(Lead.upsert([{ first_name: 'no key' }], { key: 'email' }))).status).toBe(422);
  });

  it('deletes every matching record', async () => {
    await Lead.bulkCreate([
      { email: 'd1@example.com', company: 'Doomed' },
      { email: 'd2@example.com', company: 'Doomed' },
    ]);
    expect(await Lead.deleteMany({ company: 'Doomed' })).toEqual({ success: true, deleted: 2 });
    expect(await Lead.count({ company: 'Doomed' })).toBe(0);
  });

  it('imports a CSV or a JSON file, or nothing when a row is invalid', async () => {
    const csv = new File(
      ['Email,First Name,Lead Score,Tags\nimp1@example.com,Imp,12,"x;y"\nimp2@example.com,Two,,\n'],
      'leads.csv',
      { type: 'text/csv' },
    );
    const ok = (await Lead.importEntities(csv)) as { status: string; details: unknown; output: Lead[] };
    expect(ok.status).toBe('success');
    expect(ok.output.map((l) => [l.email, l.first_name, l.lead_score, l.tags])).toEqual([
      ['imp1@example.com', 'Imp', 12, ['x', 'y']],
      ['imp2@example.com', 'Two', 0, []],
    ]);
    const json = new File(
      [JSON.stringify([{ email: 'imp3@example.com', status: 'qualified' }])],
      'leads.json',
      { type: 'application/json' },
    );
    expect(((await Lead.importEntities(json)) as typeof ok).output[0]).toMatchObject({
      email: 'imp3@example.com',
      status: 'qualified',
    });
    const bad = new File(['email,status\nimp4@example.com,new\nnot-an-email,new\n'], 'bad.csv', {
      type: 'text/csv',
    });
    const failed = (await Lead.importEntities(bad)) as typeof ok;
    expect(failed.status).toBe('error');
    expect(failed.details).toMatch(/row 3: email/);
    expect(await Lead.count({ email: 'imp4@example.com' })).toBe(0);
  });
});

describe('errors and boundaries', () => {
  it('answers an undeclared entity, an invisible record and a bad query with Base44 errors', async () => {
    const unknown = await sdkError(admin.entities.Nope!.list());
    expect(unknown).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(unknown.message).toMatch(/Nope/);
    const theirs = (await sdkClient(app, APP_ID, other.admin.token)
      .entities.Lead!.create({ email: 'theirs@example.com' })
      .catch(() => null)) as Lead | null;
    // Another organization's token naming our app id is refused outright.
    expect(theirs).toBeNull();
    const bad = await sdkError(Lead.filter({ lead_score: { $bogus: 1 } }));
    expect(bad).toMatchObject({ status: 400, code: 'INVALID_QUERY' });
    const invalid = await sdkError(Lead.create({ email: 'x' }));
    expect(invalid.status).toBe(422);
    expect(
      (invalid.data as { extra_data: { details: { field: string }[] } }).extra_data.details[0]!.field,
    ).toBe('email');
  });

  it('never reaches another organization, whatever app id it names', async () => {
    const foreign = sdkClient(app, APP_ID, other.admin.token);
    expect((await sdkError(foreign.entities.Lead!.list())).status).toBe(404);
    const ownApp = sdkClient(app, 'some-unclaimed-app-id', other.admin.token);
    const theirLead = (await ownApp.entities.Lead!.create({ email: 'mine@other.example.com' })) as Lead;
    const ours = (await Lead.list()) as Lead[];
    expect(ours.map((l) => l.id)).not.toContain(theirLead.id);
    expect((await sdkError(Lead.get(theirLead.id))).status).toBe(404);
  });

  it('answers 401 without a token, and 403 for what a role may never do', async () => {
    expect((await sdkError(sdkClient(app, APP_ID).entities.Lead!.list())).status).toBe(401);
    const rep = sdkClient(app, APP_ID, org.rep.token);
    const lead = (await rep.entities.Lead!.create({ email: 'reps@example.com' })) as Lead;
    const err = await sdkError(rep.entities.Lead!.delete(lead.id));
    expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await sdkError(rep.entities.Lead!.update(lead.id, { assigned_to: org.soloRep.id }))).status).toBe(
      403,
    );
  });
});
