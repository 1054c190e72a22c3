import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';

let t: TestApp;
let org: Tenant;
let other: Tenant;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Leads Org');
  other = await createTenant(t.c, 'Other Leads Org');
});
afterAll(() => t.close());

type Values = Record<string, unknown>;
const createLead = async (values: Values, as = org.admin) =>
  (await t.http.post('/api/v1/leads').set(as.auth).send(values).expect(201)).body.data as Values;
const count = async (entity: string, where: Values) => t.c.models.get(entity).count({ where });

describe('POST /api/v1/leads/:id/assign', () => {
  it('lets an admin assign a lead and emails the assignee', async () => {
    const lead = await createLead({
      email: 'assign.me@example.com',
      first_name: 'Ada',
      company: 'Analytical',
    });
    const res = await t.http
      .post(`/api/v1/leads/${String(lead.id)}/assign`)
      .set(org.admin.auth)
      .send({ user_id: org.rep.id })
      .expect(200);
    expect(res.body.data.assigned_to).toBe(org.rep.id);
    let mail: Values | null = null;
    for (let i = 0; i < 100 && mail?.status !== 'sent'; i++) {
      mail = (await t.c.models.get('Email').findOne({
        where: { related_id: lead.id, template: 'lead-assigned' },
        raw: true,
      })) as Values | null;
      if (mail?.status !== 'sent') await new Promise((r) => setTimeout(r, 20));
    }
    expect(mail).toMatchObject({ to: [org.rep.email], status: 'sent', related_type: 'lead' });
    expect(String(mail!.body_text)).toContain('Ada');
  });

  it('keeps a manager within their team, both for the lead and for the assignee', async () => {
    const teamLead = await createLead({ email: 'team@example.com', assigned_to: org.teamRep.id });
    await t.http
      .post(`/api/v1/leads/${String(teamLead.id)}/assign`)
      .set(org.manager.auth)
      .send({ user_id: org.rep.id })
      .expect(200);
    await t.http
      .post(`/api/v1/leads/${String(teamLead.id)}/assign`)
      .set(org.manager.auth)
      .send({ user_id: org.soloRep.id })
      .expect(403);
    const outsideLead = await createLead({ email: 'outside@example.com', assigned_to: org.soloRep.id });
    await t.c.models.get('Lead').update({ created_by: org.soloRep.id }, { where: { id: outsideLead.id } });
    await t.http
      .post(`/api/v1/leads/${String(outsideLead.id)}/assign`)
      .set(org.manager.auth)
      .send({ user_id: org.rep.id })
      .expect(404);
  });

  it('is for managers and admins only, and only to active people of the organization', async () => {
    const lead = await createLead({ email: 'who@example.com', assigned_to: org.rep.id });
    await t.http
      .post(`/api/v1/leads/${String(lead.id)}/assign`)
      .set(org.rep.auth)
      .send({ user_id: org.rep.id })
      .expect(403);
    await t.http
      .post(`/api/v1/leads/${String(lead.id)}/assign`)
      .set(org.admin.auth)
      .send({ user_id: other.rep.id })
      .expect(404);
    await t.http
      .post(`/api/v1/leads/${String(lead.id)}/assign`)
      .set(org.admin.auth)
      .send({})
      .expect(400);
    const fresh = await createTenant(t.c, 'Inactive Org');
    await t.c.models.get('User').update({ is_active: false }, { where: { id: fresh.support.id } });
    const theirLead = await createLead({ email: 'x@example.com' }, fresh.admin);
    await t.http
      .post(`/api/v1/leads/${String(theirLead.id)}/assign`)
      .set(fresh.admin.auth)
      .send({ user_id: fresh.support.id })
      .expect(404);
  });
});

describe('POST /api/v1/leads/:id/convert', () => {
  it('creates the contact, links the existing account by company name, creates the deal, and marks the lead', async () => {
    const account = (
      await t.http
        .post('/api/v1/accounts')
        .set(org.admin.auth)
        .send({ name: 'Globex Corporation' })
        .expect(201)
    ).body.data;
    const lead = await createLead({
      email: 'hank@globex.example.com',
      first_name: 'Hank',
      last_name: 'Scorpio',
      company: 'globex corporation',
      phone: '+1 555 0100',
      city: 'Cypress Creek',
      source: 'referral',
      assigned_to: org.rep.id,
    });
    const res = await t.http
      .post(`/api/v1/leads/${String(lead.id)}/convert`)
      .set(org.rep.auth)
      .send({ create_deal: true, deal: { amount: 25000, name: 'Globex expansion' } })
      .expect(201);
    const { contact, deal, lead: converted } = res.body.data;
    expect(res.body.data.account.id).toBe(account.id);
    expect(contact).toMatchObject({
      first_name: 'Hank',
      last_name: 'Scorpio',
      email: 'hank@globex.example.com',
      phone: '+1 555 0100',
      city: 'Cypress Creek',
      account_id: account.id,
      lead_source: 'referral',
      owner_id: org.rep.id,
    });
    expect(deal).toMatchObject({
      name: 'Globex expansion',
      amount: 25000,
      stage: 'qualification',
      account_id: account.id,
      contact_id: contact.id,
      lead_id: lead.id,
      owner_id: org.rep.id,
    });
    expect(converted).toMatchObject({
      status: 'converted',
      converted_contact_id: contact.id,
      converted_account_id: account.id,
      converted_deal_id: deal.id,
    });
    expect(Date.now() - Date.parse(converted.converted_date)).toBeLessThan(60_000);

    const again = await t.http
      .post(`/api/v1/leads/${String(lead.id)}/convert`)
      .set(org.rep.auth)
      .send({})
      .expect(409);
    expect(again.body.error.message).toMatch(/already been converted/);
  });

  it('creates an account from the company when none matches, and none without a company', async () => {
    const lead = await createLead({
      email: 'new@initech.example.com',
      company: 'Initech Unique 7',
      industry: 'Software',
    });
    const res = await t.http
      .post(`/api/v1/leads/${String(lead.id)}/convert`)
      .set(org.admin.auth)
      .send({})
      .expect(201);
    expect(res.body.data.account).toMatchObject({
      name: 'Initech Unique 7',
      industry: 'Software',
      type: 'prospect',
    });
    expect(res.body.data.deal).toBeNull();
    const bare = await createLead({ email: 'nobody@example.com' });
    const plain = await t.http
      .post(`/api/v1/leads/${String(bare.id)}/convert`)
      .set(org.admin.auth)
      .send({})
      .expect(201);
    expect(plain.body.data.account).toBeNull();
    expect(plain.body.data.contact.first_name).toBe('nobody');
  });

  it('changes nothing when any part fails', async () => {
    const lead = await createLead({ email: 'atomic@example.com', company: 'Atomic Unique 9' });
    await t.http
      .post(`/api/v1/leads/${String(lead.id)}/convert`)
      .set(org.admin.auth)
      .send({ create_deal: true, deal: { stage: 'not-a-stage' } })
      .expect(400);
    expect(await count('Account', { organization_id: org.organizationId, name: 'Atomic Unique 9' })).toBe(0);
    expect(await count('Contact', { organization_id: org.organizationId, email: 'atomic@example.com' })).toBe(
      0,
    );
    expect(
      ((await t.c.models.get('Lead').findByPk(lead.id as string, { raw: true })) as unknown as Values).status,
    ).toBe('new');

    const foreignAccount = (
      await t.http.post('/api/v1/accounts').set(other.admin.auth).send({ name: 'Theirs' }).expect(201)
    ).body.data;
    await t.http
      .post(`/api/v1/leads/${String(lead.id)}/convert`)
      .set(org.admin.auth)
      .send({ account_id: foreignAccount.id })
      .expect(404);
    expect(await count('Contact', { organization_id: org.organizationId, email: 'atomic@example.com' })).toBe(
      0,
    );
  });

  it('answers 404 for a lead outside the caller’s reach', async () => {
    const lead = await createLead({ email: 'not-yours@example.com', assigned_to: org.soloRep.id });
    await t.http
      .post(`/api/v1/leads/${String(lead.id)}/convert`)
      .set(org.rep.auth)
      .send({})
      .expect(404);
    await t.http
      .post(`/api/v1/leads/${String(lead.id)}/convert`)
      .set(other.admin.auth)
      .send({})
      .expect(404);
  });
});

describe('GET /api/v1/leads/stats', () => {
  it('counts by status and source, with conversion rate and average score, within the caller’s scope', async () => {
    const fresh = await createTenant(t.c, 'Stats Org');
    const rows = [
      { status: 'new', source: 'website', lead_score: 10, assigned_to: fresh.rep.id },
      { status: 'new', source: 'referral', lead_score: 20, assigned_to: fresh.rep.id },
      { status: 'converted', source: 'website', lead_score: 90, assigned_to: fresh.rep.id },
      { status: 'lost', source: 'trade_show', lead_score: 40, assigned_to: fresh.soloRep.id },
      { status: 'converted', source: 'website', lead_score: 70, assigned_to: fresh.soloRep.id },
    ].map((r, i) => ({ ...r, email: `stats${i}@example.com` }));
    await t.http.post('/api/v1/leads/bulk').set(fresh.admin.auth).send(rows).expect(201);

    const all = (await t.http.get('/api/v1/leads/stats').set(fresh.admin.auth).expect(200)).body.data;
    expect(all).toEqual({
      total: 5,
      by_status: { new: 2, contacted: 0, qualified: 0, unqualified: 0, converted: 2, lost: 1 },
      by_source: { website: 3, referral: 1, trade_show: 1 },
      converted: 2,
      conversion_rate: 0.4,
      average_score: 46,
    });
    const mine = (await t.http.get('/api/v1/leads/stats').set(fresh.rep.auth).expect(200)).body.data;
    expect(mine).toMatchObject({
      total: 3,
      converted: 1,
      conversion_rate: 0.3333,
      average_score: 40,
      by_source: { website: 2, referral: 1 },
    });
    const filtered = (
      await t.http.get('/api/v1/leads/stats?source=website').set(fresh.admin.auth).expect(200)
    ).body.data;
    expect(filtered).toMatchObject({ total: 3, converted: 2 });
    expect((await t.http.get('/api/v1/leads/stats').set(fresh.support.auth)).status).toBe(403);
  });
});
