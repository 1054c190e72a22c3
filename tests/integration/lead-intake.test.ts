import crypto from 'node:crypto';
import { issueKey } from '../helpers/api-keys';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';

let t: TestApp;
let org: Tenant;
let other: Tenant;

const BURST = 3;

beforeAll(async () => {
  // Client IPs come from X-Forwarded-For, so each test posts from addresses of its own.
  t = await startTestApp({
    TRUST_PROXY: '1',
    INTAKE_BURST_LIMIT: String(BURST),
    INTAKE_SPAM_THRESHOLD: '50',
    CORS_ORIGINS: 'https://crm.example.com',
  });
  org = await createTenant(t.c, 'Intake Org');
  other = await createTenant(t.c, 'Other Intake Org');
});
afterAll(() => t.close());

type Values = Record<string, unknown>;
interface Screening {
  id: string;
  verdict: string;
  score: number;
  reasons: string[];
  submitted: Values | null;
  lead_id: string | null;
}

const unique = () => crypto.randomBytes(4).toString('hex');
let ipCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;

async function newForm(
  body: Values = {},
  tenant = org,
): Promise<Values & { id: string; public_key: string }> {
  const res = await t.http
    .post('/api/v1/intake/forms')
    .set(tenant.admin.auth)
    .send({ name: `Form ${unique()}`, ...body })
    .expect(201);
  return res.body.data as Values & { id: string; public_key: string };
}

const post = (key: string, body: Values, ip = freshIp()) =>
  t.http.post('/api/v1/intake/leads').set({ 'X-Intake-Key': key, 'X-Forwarded-For': ip }).send(body);

/** The screening of the last submission with this email, and the lead it became (if any). */
async function outcome(email: string, tenant = org): Promise<{ screening: Values; leads: Values[] }> {
  const screening = (await t.c.models.get('LeadScreening').findOne({
    where: { organization_id: tenant.organizationId, email: email.toLowerCase() },
    order: [['created_at', 'DESC']],
    raw: true,
  })) as Values | null;
  const leads = (await t.c.models.get('Lead').findAll({
    where: { organization_id: tenant.organizationId, email: email.toLowerCase() },
    raw: true,
  })) as unknown as Values[];
  return { screening: screening ?? {}, leads };
}

describe('intake forms', () => {
  it('are managed by admins, each with a public key that can be rotated', async () => {
    const form = await newForm({ source: 'spring-campaign', assign_to: org.rep.id });
    expect(form).toMatchObject({
      source: 'spring-campaign',
      assign_to: org.rep.id,
      honeypot_field: 'website_url',
      active: true,
    });
    expect(form.public_key).toMatch(/^ifk_[\w-]{32}$/);
    const list = await t.http.get('/api/v1/intake/forms').set(org.admin.auth).expect(200);
    expect(list.body.data.map((f: Values) => f.id)).toContain(form.id);
    await t.http.get('/api/v1/intake/forms').set(org.manager.auth).expect(403);
    await t.http.post('/api/v1/intake/forms').set(org.rep.auth).send({ name: 'x' }).expect(403);
    await t.http.get(`/api/v1/intake/forms/${form.id}`).set(other.admin.auth).expect(404);
    const renamed = await t.http
      .patch(`/api/v1/intake/forms/${form.id}`)
      .set(org.admin.auth)
      .send({ name: 'Renamed' })
      .expect(200);
    expect(renamed.body.data.name).toBe('Renamed');
    const bad = await t.http
      .post('/api/v1/intake/forms')
      .set(org.admin.auth)
      .send({ name: 'x', assign_to: other.rep.id })
      .expect(404);
    expect(bad.body.error.details).toEqual([
      { field: 'assign_to', message: 'no active user of your organization with this id' },
    ]);
    const rotated = await t.http
      .post(`/api/v1/intake/forms/${form.id}/rotate-key`)
      .set(org.admin.auth)
      .expect(200);
    expect(rotated.body.data.public_key).not.toBe(form.public_key);
    await post(form.public_key, { email: `old.${unique()}@example.com` }).expect(404);
    await t.http.delete(`/api/v1/intake/forms/${form.id}`).set(org.admin.auth).expect(204);
    await post(rotated.body.data.public_key as string, { email: `x.${unique()}@example.com` }).expect(404);
  });
});

describe('POST /api/v1/intake/leads', () => {
  it('refuses a missing key (401), an unknown key and an inactive form (404)', async () => {
    const noKey = await t.http.post('/api/v1/intake/leads').send({ email: 'a@example.com' }).expect(401);
    expect(noKey.body.error.message).toMatch(/X-Intake-Key/);
    await post('ifk_wrong', { email: 'a@example.com' }).expect(404);
    const form = await newForm({ active: false });
    await post(form.public_key, { email: 'a@example.com' }).expect(404);
  });

  it('answers preflights and posts from any origin, unlike the rest of the API', async () => {
    const preflight = await t.http
      .options('/api/v1/intake/leads')
      .set({
        Origin: 'https://shop.example.net',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-intake-key',
      })
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-Intake-Key/i);
    const form = await newForm();
    const res = await post(form.public_key, { email: `cors.${unique()}@example.com` })
      .set('Origin', 'https://shop.example.net')
      .expect(202);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const elsewhere = await t.http
      .options('/api/v1/leads')
      .set({ Origin: 'https://shop.example.net', 'Access-Control-Request-Method': 'POST' });
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('turns a clean submission into a lead with the form’s source and owner, ignoring fields it may not set', async () => {
    const form = await newForm({ source: 'landing-page', assign_to: org.rep.id });
    const email = `Clean.${unique()}@Example.com`;
    const res = await post(form.public_key, {
      email,
      first_name: 'Clara',
      company: 'Clean Co',
      phone: '+1 (555) 010-2030',
      status: 'converted',
      lead_score: 99,
      assigned_to: org.manager.id,
      submit: 'Send',
    }).expect(202);
    expect(res.body).toEqual({ data: { status: 'received' } });
    const { screening, leads } = await outcome(email);
    expect(screening).toMatchObject({ verdict: 'clean', score: 0, reasons: [] });
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({
      first_name: 'Clara',
      source: 'landing-page',
      assigned_to: org.rep.id,
      status: 'new',
      lead_score: 0,
      created_by: org.admin.id,
    });
    expect(screening.lead_id).toBe(leads[0]!.id);
  });

  it('takes an HTML form’s urlencoded post with the key in a field', async () => {
    const form = await newForm();
    const email = `html.${unique()}@example.com`;
    await t.http
      .post('/api/v1/intake/leads')
      .set('X-Forwarded-For', freshIp())
      .type('form')
      .send({ form_key: form.public_key, email, first_name: 'Hilda' })
      .expect(202);
    expect((await outcome(email)).leads).toMatchObject([{ first_name: 'Hilda' }]);
  });

  const heldFor = async (body: Values, reasons: string[], form?: Values & { public_key: string }) => {
    const f = form ?? (await newForm());
    await post(f.public_key, body).expect(202);
    const { screening, leads } = await outcome(String(body.email));
    expect(leads).toEqual([]);
    expect(screening).toMatchObject({ verdict: 'spam' });
    expect(screening.reasons).toEqual(reasons);
    expect(screening.score).toBeGreaterThanOrEqual(50);
    return screening;
  };

  it('holds a submission whose honeypot field is filled', async () => {
    await heldFor({ email: `bot.${unique()}@example.com`, website_url: 'http://spam.example' }, ['honeypot']);
    const form = await newForm({ honeypot_field: 'fax_number' });
    await heldFor({ email: `bot2.${unique()}@example.com`, fax_number: '1' }, ['honeypot'], form);
  });

  it('holds a disposable email address', async () => {
    await heldFor({ email: `temp.${unique()}@mailinator.com` }, ['disposable_email']);
  });

  it('holds an email or a phone number seen within the window', async () => {
    const email = `twice.${unique()}@example.com`;
    const form = await newForm();
    await post(form.public_key, { email }).expect(202);
    expect((await outcome(email)).screening.verdict).toBe('clean');
    await post(form.public_key, { email: email.toUpperCase() }).expect(202);
    const { screening, leads } = await outcome(email);
    expect(leads).toHaveLength(1);
    expect(screening).toMatchObject({ verdict: 'spam', reasons: ['duplicate_email'] });

    // A lead entered by hand counts too, and phones compare by their digits.
    await t.http
      .post('/api/v1/leads')
      .set(org.admin.auth)
      .send({ email: `hand.${unique()}@example.com`, phone: '+44 20 7946 0958' })
      .expect(201);
    await heldFor({ email: `phone.${unique()}@example.com`, phone: '442079460958' }, ['duplicate_phone']);
  });

  it('holds obviously invalid data', async () => {
    await heldFor({ email: 'not-an-email' }, ['invalid_email']);
    await heldFor(
      { email: `links.${unique()}@example.com`, first_name: 'Visit https://spam.example', phone: 'call me' },
      ['invalid_phone', 'link_in_name'],
    );
  });

  it('holds a burst from one form, and a burst from one IP address', async () => {
    const form = await newForm();
    for (let i = 0; i < BURST; i++) await post(form.public_key, { email: `b${i}.${unique()}@example.com` });
    await heldFor({ email: `burst.${unique()}@example.com` }, ['burst_source'], form);

    const ip = freshIp();
    for (let i = 0; i < BURST; i++)
      await post((await newForm()).public_key, { email: `ip${i}.${unique()}@example.com` }, ip).expect(202);
    const email = `ipburst.${unique()}@example.com`;
    await post((await newForm()).public_key, { email }, ip).expect(202);
    expect((await outcome(email)).screening).toMatchObject({ verdict: 'spam', reasons: ['burst_ip'] });
  });

  it('keeps spam out of the lead list', async () => {
    const email = `hidden.${unique()}@mailinator.com`;
    await post((await newForm()).public_key, { email }).expect(202);
    const list = await t.http.get('/api/v1/leads').query({ email }).set(org.admin.auth).expect(200);
    expect(list.body.meta.total).toBe(0);
  });
});

describe('leads posted with a vendor API key', () => {
  it('are screened: clean ones are created with the key’s source, spam is held with its reasons', async () => {
    const key = await issueKey(t, org.admin, { scopes: ['leads:create'], source_code: 'vendor-x' });
    const email = `vendor.${unique()}@example.com`;
    const clean = await t.http
      .post('/api/v1/leads')
      .set({ ...key.auth, 'X-Forwarded-For': freshIp() })
      .send({ email, first_name: 'Vera' })
      .expect(201);
    expect(clean.body.data).toMatchObject({ email, source: 'vendor-x', first_name: 'Vera' });
    expect((await outcome(email)).screening).toMatchObject({ verdict: 'clean', channel: 'api_key' });

    const held = await t.http
      .post('/api/v1/leads')
      .set({ ...key.auth, 'X-Forwarded-For': freshIp() })
      .send({ email: `v.${unique()}@yopmail.com` })
      .expect(202);
    expect(held.body.data).toMatchObject({
      status: 'held_as_spam',
      screening: { verdict: 'spam', reasons: ['disposable_email'], score: 60 },
    });
    // Signed-in users' creates are not screened.
    await t.http
      .post('/api/v1/leads')
      .set(org.admin.auth)
      .send({ email: `user.${unique()}@yopmail.com` })
      .expect(201);
  });
});

describe('leads bulk-posted with a vendor API key', () => {
  const vendor = () => issueKey(t, org.admin, { scopes: ['leads:create'], source_code: 'vendor-bulk' });
  const bulk = (key: { auth: Record<string, string> }, body: unknown) =>
    t.http
      .post('/api/v1/leads/bulk')
      .set({ ...key.auth, 'X-Forwarded-For': freshIp() })
      .send(body as object);

  it('creates the clean records and holds the spam, saying which by index', async () => {
    const key = await vendor();
    const a = `bulk.a.${unique()}@example.com`;
    const c = `bulk.c.${unique()}@example.com`;
    const res = await bulk(key, [
      { email: a, first_name: 'Ann' },
      { email: `bulk.${unique()}@yopmail.com` },
      { email: c },
      // Sent twice in one post: the repeat is a duplicate like one already stored.
      { email: a.toUpperCase() },
    ]).expect(201);
    expect(res.body.data.map((l: Values) => [l.email, l.source])).toEqual([
      [a, 'vendor-bulk'],
      [c, 'vendor-bulk'],
    ]);
    expect(res.body.meta).toMatchObject({ created: 2, held_as_spam: 2 });
    expect(
      res.body.meta.held.map((h: { index: number; screening: Screening }) => [
        h.index,
        h.screening.verdict,
        h.screening.reasons,
      ]),
    ).toEqual([
      [1, 'spam', ['disposable_email']],
      [3, 'spam', ['duplicate_email']],
    ]);
    expect((await outcome(a)).leads).toHaveLength(1);
    expect((await outcome(c)).screening).toMatchObject({ verdict: 'clean', channel: 'api_key' });
    const spam = await t.http.get('/api/v1/spam/leads?limit=100').set(org.admin.auth).expect(200);
    const heldIds = res.body.meta.held.map((h: { screening: Screening }) => h.screening.id);
    expect(spam.body.data.map((x: Screening) => x.id)).toEqual(expect.arrayContaining(heldIds));
  });

  it('answers 202 when every record was held', async () => {
    const res = await bulk(await vendor(), [{ email: `x.${unique()}@yopmail.com` }]).expect(202);
    expect(res.body).toMatchObject({ data: [], meta: { created: 0, held_as_spam: 1 } });
  });

  it('creates and holds nothing when a clean record is invalid, naming it by its index as sent', async () => {
    const bad = `bulk.bad.${unique()}@example.com`;
    const held = `bulk.held.${unique()}@yopmail.com`;
    const res = await bulk(await vendor(), [{ email: held }, { email: bad, lead_score: 500 }]).expect(400);
    expect(res.body.error.message).toMatch(/^1 of 2 records are not valid; nothing was created \(record 1:/);
    expect(res.body.error.details).toEqual([expect.objectContaining({ index: 1, field: 'lead_score' })]);
    expect(await outcome(bad)).toEqual({ screening: {}, leads: [] });
    expect(await outcome(held)).toEqual({ screening: {}, leads: [] });
  });

  it('leaves signed-in users’ bulk creates unscreened', async () => {
    const email = `user.bulk.${unique()}@yopmail.com`;
    await t.http.post('/api/v1/leads/bulk').set(org.admin.auth).send([{ email }]).expect(201);
    expect((await outcome(email)).leads).toHaveLength(1);
  });
});

describe('leads posted with a vendor API key through the Base44 surface', () => {
  const base = '/api/apps/intake-app/entities/Lead';
  const as = async () => ({
    ...(await issueKey(t, org.admin, { scopes: ['leads:create'], source_code: 'vendor-b44' })).auth,
    'X-Forwarded-For': freshIp(),
  });

  it('POST /entities/Lead creates a clean lead and holds spam with a 202', async () => {
    const headers = await as();
    const email = `b44.${unique()}@example.com`;
    const clean = await t.http.post(base).set(headers).send({ email, first_name: 'Bea' }).expect(200);
    expect(clean.body).toMatchObject({ email, first_name: 'Bea', source: 'vendor-b44' });
    expect(clean.body.created_date).toEqual(expect.any(String));
    expect((await outcome(email)).screening).toMatchObject({ verdict: 'clean', lead_id: clean.body.id });

    const spamEmail = `b44.${unique()}@yopmail.com`;
    const held = await t.http.post(base).set(headers).send({ email: spamEmail }).expect(202);
    expect(held.body).toMatchObject({
      status: 'held_as_spam',
      screening: { verdict: 'spam', reasons: ['disposable_email'] },
    });
    expect((await outcome(spamEmail)).leads).toEqual([]);
  });

  it('POST /entities/Lead/bulk answers the usual array when all are clean, and 202 with what was held', async () => {
    const headers = await as();
    const one = `b44.bulk.${unique()}@example.com`;
    const all = await t.http
      .post(`${base}/bulk`)
      .set(headers)
      .send([{ email: one }])
      .expect(200);
    expect(all.body).toEqual([expect.objectContaining({ email: one, source: 'vendor-b44' })]);

    const two = `b44.bulk.${unique()}@example.com`;
    const spamEmail = `b44.bulk.${unique()}@yopmail.com`;
    const mixed = await t.http
      .post(`${base}/bulk`)
      .set(headers)
      .send([{ email: spamEmail }, { email: two }])
      .expect(202);
    expect(mixed.body.created).toEqual([expect.objectContaining({ email: two })]);
    expect(mixed.body.held_as_spam).toEqual([
      { index: 0, screening: expect.objectContaining({ verdict: 'spam', reasons: ['disposable_email'] }) },
    ]);
    expect((await outcome(spamEmail)).leads).toEqual([]);
    expect((await outcome(two)).leads).toHaveLength(1);
  });
});

describe('leads an API key would create without screening', () => {
  it('are refused where the screening would be skipped: imports and upserts, on both surfaces', async () => {
    const key = await issueKey(t, org.admin, {
      scopes: ['leads:create', 'leads:read', 'leads:update'],
      source_code: 'vendor-y',
    });
    const email = `unscreened.${unique()}@example.com`;
    // /api/v1 errors are { error: { message } }; Base44's are { message } as its SDK reads them.
    const expectRefused = (res: {
      status: number;
      body: { error?: { message: string }; message?: string };
    }) => {
      expect(res.status).toBe(403);
      expect(res.body.error?.message ?? res.body.message).toMatch(
        /screened for spam: create them one at a time or in bulk/,
      );
    };
    expectRefused(
      await t.http
        .post('/api/v1/leads/import')
        .set(key.auth)
        .attach('file', Buffer.from(`email,first_name\n${email},Una\n`), 'leads.csv'),
    );
    const base = '/api/apps/intake-app/entities/Lead';
    expectRefused(
      await t.http
        .post(`${base}/import`)
        .set(key.auth)
        .attach('file', Buffer.from(JSON.stringify([{ email }])), 'leads.json'),
    );
    expectRefused(
      await t.http
        .post(`${base}/upsert`)
        .set(key.auth)
        .send({ records: [{ email }], key: 'email' }),
    );
    expect((await outcome(email)).leads).toEqual([]);
  });

  it('may still update the leads it reads through an upsert, and people may still import', async () => {
    const key = await issueKey(t, org.admin, {
      scopes: ['leads:create', 'leads:read', 'leads:update'],
      source_code: 'vendor-z',
    });
    const email = `screened.${unique()}@example.com`;
    await t.http
      .post('/api/v1/leads')
      .set({ ...key.auth, 'X-Forwarded-For': freshIp() })
      .send({ email })
      .expect(201);
    const upsert = await t.http
      .post('/api/apps/intake-app/entities/Lead/upsert')
      .set(key.auth)
      .send({ records: [{ email, first_name: 'Updated' }], key: 'email' })
      .expect(200);
    expect(upsert.body).toMatchObject({ created: 0, updated: 1 });
    const imported = await t.http
      .post('/api/apps/intake-app/entities/Lead/import')
      .set(org.admin.auth)
      .attach('file', Buffer.from(JSON.stringify([{ email: `by.person.${unique()}@example.com` }])), 'l.json')
      .expect(200);
    expect(imported.body.status).toBe('success');
  });
});

describe('/api/v1/spam/leads', () => {
  const hold = async (body: Values): Promise<Screening> => {
    await post((await newForm({ source: 'fair' })).public_key, body).expect(202);
    const { screening } = await outcome(String(body.email));
    return (
      await t.http
        .get(`/api/v1/spam/leads/${String(screening.id)}`)
        .set(org.manager.auth)
        .expect(200)
    ).body.data as Screening;
  };

  it('lists held leads with their reasons for managers and admins only', async () => {
    const held = await hold({ email: `list.${unique()}@trashmail.com`, first_name: 'Lis' });
    expect(held).toMatchObject({
      verdict: 'spam',
      reasons: ['disposable_email'],
      submitted: { email: expect.stringContaining('@trashmail.com'), first_name: 'Lis' },
    });
    const list = await t.http.get('/api/v1/spam/leads?limit=100').set(org.admin.auth).expect(200);
    expect(list.body.data.map((s: Screening) => s.id)).toContain(held.id);
    expect(list.body.data.every((s: Screening) => s.verdict === 'spam')).toBe(true);
    await t.http.get('/api/v1/spam/leads').set(org.rep.auth).expect(403);
    await t.http.get('/api/v1/spam/leads').set(org.support.auth).expect(403);
    await t.http.get(`/api/v1/spam/leads/${held.id}`).set(other.admin.auth).expect(404);
  });

  it('releases a held lead into the leads, once', async () => {
    const email = `release.${unique()}@mailinator.com`;
    const held = await hold({ email, first_name: 'Rel' });
    const res = await t.http.post(`/api/v1/spam/leads/${held.id}/release`).set(org.manager.auth).expect(201);
    expect(res.body.data).toMatchObject({
      email,
      first_name: 'Rel',
      source: 'fair',
      created_by: org.manager.id,
    });
    expect(res.body.meta.screening).toMatchObject({ verdict: 'released', lead_id: res.body.data.id });
    await t.http
      .get(`/api/v1/leads/${String(res.body.data.id)}`)
      .set(org.admin.auth)
      .expect(200);
    await t.http.post(`/api/v1/spam/leads/${held.id}/release`).set(org.manager.auth).expect(404);
    await t.http.get(`/api/v1/spam/leads/${held.id}`).set(org.manager.auth).expect(404);
  });

  it('refuses to release what would not be a valid lead, keeping it held', async () => {
    const held = await hold({ email: 'nope' });
    const res = await t.http.post(`/api/v1/spam/leads/${held.id}/release`).set(org.admin.auth).expect(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'email' })]);
    await t.http.get(`/api/v1/spam/leads/${held.id}`).set(org.admin.auth).expect(200);
  });

  it('deletes a held lead', async () => {
    const held = await hold({ email: `delete.${unique()}@yopmail.com` });
    await t.http.delete(`/api/v1/spam/leads/${held.id}`).set(org.rep.auth).expect(403);
    await t.http.delete(`/api/v1/spam/leads/${held.id}`).set(org.admin.auth).expect(204);
    await t.http.delete(`/api/v1/spam/leads/${held.id}`).set(org.admin.auth).expect(404);
  });
});

describe('GET /api/v1/analytics/intake', () => {
  it('gives daily volume, spam rate and top reasons of the organization', async () => {
    const stats = await createTenant(t.c, 'Intake Stats Org');
    // Two forms, so that no form reaches the burst limit.
    const forms = [await newForm({}, stats), await newForm({}, stats)];
    const submissions: Values[] = [
      { email: `a.${unique()}@example.com` },
      { email: `b.${unique()}@example.com` },
      { email: `c.${unique()}@example.com` },
      { email: `d.${unique()}@mailinator.com` },
      { email: `e.${unique()}@mailinator.com`, website_url: 'x' },
    ];
    for (const [i, body] of submissions.entries()) await post(forms[i % 2]!.public_key, body).expect(202);
    const res = await t.http.get('/api/v1/analytics/intake?days=7').set(stats.manager.auth).expect(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(res.body.data).toEqual({
      days: 7,
      total: 5,
      spam: 2,
      clean: 3,
      spam_rate: 0.4,
      daily: [{ date: today, total: 5, spam: 2, clean: 3, spam_rate: 0.4 }],
      top_reasons: [
        { reason: 'disposable_email', count: 2 },
        { reason: 'honeypot', count: 1 },
      ],
    });
    await t.http.get('/api/v1/analytics/intake').set(stats.rep.auth).expect(403);
    await t.http.get('/api/v1/analytics/intake?days=0').set(stats.admin.auth).expect(400);
  });
});
