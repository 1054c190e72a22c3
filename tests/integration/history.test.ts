import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';

let t: TestApp;
let org: Tenant;
type Values = Record<string, unknown>;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'History Org');
});
afterAll(() => t.close());

const entriesFor = (recordId: string) =>
  t.c.models.get('AuditEntry').count({ where: { record_id: recordId } });

describe('record history', () => {
  it('records who changed what, field by field, newest first', async () => {
    const lead = (
      await t.http
        .post('/api/v1/leads')
        .set(org.rep.auth)
        .send({ email: 'h@example.com', first_name: 'Hal' })
        .expect(201)
    ).body.data;
    await t.http
      .patch(`/api/v1/leads/${lead.id}`)
      .set(org.rep.auth)
      .send({ first_name: 'Hank', lead_score: 30 })
      .expect(200);
    await t.http.patch(`/api/v1/leads/${lead.id}`).set(org.rep.auth).send({ first_name: 'Hank' }).expect(200);
    const res = await t.http.get(`/api/v1/leads/${lead.id}/history`).set(org.rep.auth).expect(200);
    expect(res.body.meta).toMatchObject({ total: 2, page: 1 });
    const [update, create] = res.body.data;
    expect(update).toMatchObject({
      action: 'update',
      entity: 'Lead',
      record_id: lead.id,
      actor_id: org.rep.id,
      actor_email: org.rep.email,
      changes: { first_name: { from: 'Hal', to: 'Hank' }, lead_score: { from: 0, to: 30 } },
    });
    expect(Object.keys(update.changes).sort()).toEqual(['first_name', 'lead_score']);
    expect(create).toMatchObject({
      action: 'create',
      changes: { email: { from: null, to: 'h@example.com' }, first_name: { from: null, to: 'Hal' } },
    });
    expect(create.changes).not.toHaveProperty('updated_at');
  });

  it('masks hidden fields and drops fields the reader may not see', async () => {
    await t.http
      .patch(`/api/v1/users/${org.soloRep.id}`)
      .set(org.admin.auth)
      .send({ password: 'a-brand-new-password-1' })
      .expect(200);
    const history = await t.http
      .get(`/api/v1/users/${org.soloRep.id}/history`)
      .set(org.admin.auth)
      .expect(200);
    expect(history.body.data[0].changes.password_hash).toEqual({ from: '[hidden]', to: '[hidden]' });
    expect(JSON.stringify(history.body)).not.toMatch(/\$2[aby]\$/);

    const product = (
      await t.http
        .post('/api/v1/products')
        .set(org.admin.auth)
        .send({ name: 'Widget', price: 10, cost: 4 })
        .expect(201)
    ).body.data;
    await t.http
      .patch(`/api/v1/products/${product.id}`)
      .set(org.admin.auth)
      .send({ cost: 5, price: 12 })
      .expect(200);
    const seenByRep = await t.http
      .get(`/api/v1/products/${product.id}/history`)
      .set(org.rep.auth)
      .expect(200);
    expect(seenByRep.body.data[0].changes).toEqual({ price: { from: 10, to: 12 } });
  });

  it('is written in the same transaction as the change: a failed write leaves no entry', async () => {
    const lead = (
      await t.http
        .post('/api/v1/leads')
        .set(org.admin.auth)
        .send({ email: 'atomic.h@example.com', company: 'Atomic History Co' })
        .expect(201)
    ).body.data;
    const before = await t.c.models
      .get('AuditEntry')
      .count({ where: { organization_id: org.organizationId } });
    // Conversion creates an account and a contact before the deal fails: all of it, audit included, rolls back.
    await t.http
      .post(`/api/v1/leads/${lead.id}/convert`)
      .set(org.admin.auth)
      .send({ create_deal: true, deal: { stage: 'bogus' } })
      .expect(400);
    expect(await t.c.models.get('AuditEntry').count({ where: { organization_id: org.organizationId } })).toBe(
      before,
    );
    await t.http.patch(`/api/v1/leads/${lead.id}`).set(org.admin.auth).send({ lead_score: 500 }).expect(400);
    expect(await entriesFor(lead.id)).toBe(1);
  });

  it('answers 404 for a record the reader cannot see', async () => {
    const lead = (
      await t.http
        .post('/api/v1/leads')
        .set(org.admin.auth)
        .send({ email: 'hidden.h@example.com', assigned_to: org.soloRep.id })
        .expect(201)
    ).body.data;
    await t.http.get(`/api/v1/leads/${lead.id}/history`).set(org.rep.auth).expect(404);
  });
});

describe('the audit log', () => {
  it('lists every change for administrators, filtered', async () => {
    const deal = (
      await t.http.post('/api/v1/deals').set(org.admin.auth).send({ name: 'Audited deal' }).expect(201)
    ).body.data;
    await t.http.delete(`/api/v1/deals/${deal.id}`).set(org.admin.auth).expect(204);
    const res = await t.http
      .get(`/api/v1/audit?entity=Deal&record_id=${deal.id}`)
      .set(org.admin.auth)
      .expect(200);
    expect(res.body.data.map((e: Values) => e.action)).toEqual(['delete', 'create']);
    expect(res.body.data[0].changes.name).toEqual({ from: 'Audited deal', to: null });
    const deletes = await t.http
      .get(`/api/v1/audit?action=delete&actor_id=${org.admin.id}&limit=1`)
      .set(org.admin.auth)
      .expect(200);
    expect(deletes.body.meta.limit).toBe(1);
    expect(deletes.body.data[0].action).toBe('delete');
    const future = await t.http
      .get(`/api/v1/audit?from=${new Date(Date.now() + 60_000).toISOString()}`)
      .set(org.admin.auth)
      .expect(200);
    expect(future.body.data).toEqual([]);
    await t.http.get('/api/v1/audit').set(org.manager.auth).expect(403);
    await t.http.get('/api/v1/audit?action=nope').set(org.admin.auth).expect(400);
  });

  it('writes one entry per record of a bulk create', async () => {
    const made = (
      await t.http
        .post('/api/v1/tasks/bulk')
        .set(org.admin.auth)
        .send([{ title: 'One' }, { title: 'Two' }])
        .expect(201)
    ).body.data;
    for (const task of made) expect(await entriesFor(task.id)).toBe(1);
  });
});

describe('the timeline', () => {
  it('merges linked records and history, newest first, within what the reader may see, paged without gaps', async () => {
    const lead = (
      await t.http
        .post('/api/v1/leads')
        .set(org.admin.auth)
        .send({ email: 'tl@example.com', assigned_to: org.rep.id })
        .expect(201)
    ).body.data;
    const link = { related_type: 'lead', related_id: lead.id };
    const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 9, minutes)).toISOString();
    await t.http
      .post('/api/v1/activities')
      .set(org.admin.auth)
      .send({ ...link, type: 'note', subject: 'Note', occurred_at: at(1), user_id: org.rep.id })
      .expect(201);
    await t.http
      .post('/api/v1/calls')
      .set(org.admin.auth)
      .send({ ...link, subject: 'Call', call_time: at(2), user_id: org.rep.id })
      .expect(201);
    await t.http
      .post('/api/v1/meetings')
      .set(org.admin.auth)
      .send({ ...link, title: 'Meeting', start_time: at(3), organizer_id: org.rep.id })
      .expect(201);
    await t.http
      .post('/api/v1/tasks')
      .set(org.admin.auth)
      .send({ ...link, title: 'Mine', assigned_to: org.rep.id })
      .expect(201);
    await t.http
      .post('/api/v1/tasks')
      .set(org.admin.auth)
      .send({ ...link, title: 'Not mine', assigned_to: org.soloRep.id })
      .expect(201);
    await t.http
      .post('/api/v1/emails')
      .set(org.admin.auth)
      .send({ ...link, to: ['x@example.com'], subject: 'Email' })
      .expect(201);

    const all = await t.http
      .get(`/api/v1/leads/${lead.id}/timeline?limit=100`)
      .set(org.admin.auth)
      .expect(200);
    const kinds = all.body.data.map((i: Values) => i.kind);
    expect(kinds.filter((k: string) => k === 'task')).toHaveLength(2);
    expect(kinds).toEqual(expect.arrayContaining(['activity', 'call', 'meeting', 'email', 'change']));
    const times = all.body.data.map((i: Values) => i.at as string);
    expect(times).toEqual([...times].sort().reverse());

    const mine = await t.http
      .get(`/api/v1/leads/${lead.id}/timeline?limit=100`)
      .set(org.rep.auth)
      .expect(200);
    const titles = mine.body.data
      .filter((i: Values) => i.kind === 'task')
      .map((i: { data: Values }) => i.data.title);
    expect(titles).toEqual(['Mine']);
    expect(mine.body.data.some((i: Values) => i.kind === 'email')).toBe(false);

    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await t.http
        .get(`/api/v1/leads/${lead.id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(org.admin.auth)
        .expect(200);
      seen.push(...page.body.data.map((i: Values) => i.id as string));
      cursor = page.body.meta.next_cursor ?? '';
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((i: Values) => i.id));
  });
});
