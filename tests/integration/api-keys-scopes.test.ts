import type { Action } from '../../src/crud/policy';
import { entities } from '../../src/entities';
import { issueKey, type IssuedKey } from '../helpers/api-keys';
import { startTestApp, type TestApp } from '../helpers/app';
import { apiClient, expectErrorShape, hiddenFieldNames } from '../helpers/crud-api';
import { SampleMaker, type Values } from '../helpers/crud-samples';
import { PNG } from '../helpers/files';
import { createTenant, type Tenant } from '../helpers/tenant';
import { settledEmail } from '../helpers/mail';

/**
 * A key acts only within its scopes, on every router: each entity's generic routes (generated from the
 * registry), the file routes of documents, sending email, and the routes about a signed-in person.
 * The keys' creator is an administrator, so every refusal here comes from the key's scopes.
 */
let t: TestApp;
let org: Tenant;
let samples: SampleMaker;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Scoped Key Org');
  samples = new SampleMaker(t.c.registry, apiClient(t, org.admin.auth, hiddenFieldNames(t)), org);
});
afterAll(() => t.close());

const ACTIONS: Action[] = ['read', 'create', 'update', 'delete'];

it('covers every entity the registry serves', () => {
  expect(
    t.c.registry
      .all()
      .map((rt) => rt.decl.path)
      .sort(),
  ).toEqual(entities.map((e) => e.path).sort());
});

/** 403 in the error shape, naming the scope the key lacks. */
function expectScopeRefusal(res: { status: number; body: unknown }, scope: string, what: string): void {
  expect({ what, status: res.status }).toEqual({ what, status: 403 });
  expectErrorShape(res.body);
  expect((res.body as { error: { message: string } }).error.message).toContain(`scope ${scope}`);
}

describe.each(entities.map((e, i) => [e.name, e.path, entities[(i + 1) % entities.length]!.path] as const))(
  '%s at /api/v1/%s',
  (name, path, otherPath) => {
    const base = `/api/v1/${path}`;
    const keys = {} as Record<Action, IssuedKey>;
    let existing: Values;

    beforeAll(async () => {
      for (const action of ACTIONS)
        keys[action] = await issueKey(t, org.admin, { scopes: [`${path}:${action}`] });
      existing = await samples.create(name);
    });

    /** Every route of the entity with the given key; the statuses say which actions got through. */
    async function tryEverything(key: IssuedKey): Promise<Record<string, number>> {
      const auth = key.auth;
      const victim = await samples.create(name);
      return {
        list: (await t.http.get(base).set(auth)).status,
        get: (await t.http.get(`${base}/${existing.id as string}`).set(auth)).status,
        create: (
          await t.http
            .post(base)
            .set(auth)
            .send(await samples.values(name))
        ).status,
        bulk: (
          await t.http
            .post(`${base}/bulk`)
            .set(auth)
            .send([await samples.values(name)])
        ).status,
        patch: (
          await t.http
            .patch(`${base}/${existing.id as string}`)
            .set(auth)
            .send({ custom_fields: { via: 'key' } })
        ).status,
        put: (
          await t.http
            .put(`${base}/${existing.id as string}`)
            .set(auth)
            .send({ custom_fields: { via: 'key' } })
        ).status,
        delete: (await t.http.delete(`${base}/${victim.id as string}`).set(auth)).status,
      };
    }

    it(`${path}:read lists and reads, and may do nothing else`, async () => {
      expect(await tryEverything(keys.read)).toEqual({
        list: 200,
        get: 200,
        create: 403,
        bulk: 403,
        patch: 403,
        put: 403,
        delete: 403,
      });
      const refused = await t.http
        .post(base)
        .set(keys.read.auth)
        .send(await samples.values(name));
      expectScopeRefusal(refused, `${path}:create`, 'create');
      expectScopeRefusal(
        await t.http.get(`/api/v1/${otherPath}`).set(keys.read.auth),
        `${otherPath}:read`,
        otherPath,
      );
    });

    it(`${path}:create creates, and may not read what it created`, async () => {
      expect(await tryEverything(keys.create)).toEqual({
        list: 403,
        get: 403,
        create: 201,
        bulk: 201,
        patch: 403,
        put: 403,
        delete: 403,
      });
      const made = await t.http
        .post(base)
        .set(keys.create.auth)
        .send(await samples.values(name))
        .expect(201);
      expect(made.body.data.created_by).toBe(org.admin.id);
      const readBack = await t.http.get(`${base}/${made.body.data.id as string}`).set(keys.create.auth);
      expectScopeRefusal(readBack, `${path}:read`, 'read back');
    });

    it(`${path}:update changes, and nothing else`, async () => {
      expect(await tryEverything(keys.update)).toEqual({
        list: 403,
        get: 403,
        create: 403,
        bulk: 403,
        patch: 200,
        put: 200,
        delete: 403,
      });
    });

    it(`${path}:delete deletes, and nothing else`, async () => {
      expect(await tryEverything(keys.delete)).toEqual({
        list: 403,
        get: 403,
        create: 403,
        bulk: 403,
        patch: 403,
        put: 403,
        delete: 204,
      });
    });
  },
);

describe('wildcards', () => {
  it('<path>:* grants every action on that entity only; * grants every entity', async () => {
    const leads = await issueKey(t, org.admin, { scopes: ['leads:*'] });
    const lead = await t.http
      .post('/api/v1/leads')
      .set(leads.auth)
      .send({ email: 'w@example.com' })
      .expect(201);
    const id = lead.body.data.id as string;
    await t.http.get(`/api/v1/leads/${id}`).set(leads.auth).expect(200);
    await t.http.patch(`/api/v1/leads/${id}`).set(leads.auth).send({ notes: 'n' }).expect(200);
    await t.http.delete(`/api/v1/leads/${id}`).set(leads.auth).expect(204);
    await t.http.get('/api/v1/contacts').set(leads.auth).expect(403);

    const everything = await issueKey(t, org.admin, { scopes: ['*'] });
    for (const e of entities) await t.http.get(`/api/v1/${e.path}`).set(everything.auth).expect(200);
  });
});

describe('files', () => {
  let doc: string;
  const upload = (auth: IssuedKey['auth']) =>
    t.http.post('/api/v1/documents/upload').set(auth).attach('file', PNG, 'pixel.png');

  beforeAll(async () => {
    const res = await t.http
      .post('/api/v1/documents/upload')
      .set(org.admin.auth)
      .attach('file', PNG, 'pixel.png')
      .expect(201);
    doc = res.body.data.id as string;
  });

  it('documents:read downloads and lists, but may not upload', async () => {
    const key = await issueKey(t, org.admin, { scopes: ['documents:read'] });
    const file = await t.http.get(`/api/v1/documents/${doc}/download`).set(key.auth).expect(200);
    expect(Buffer.from(file.body as Buffer).equals(PNG)).toBe(true);
    const link = await t.http.get(`/api/v1/documents/${doc}/download-url`).set(key.auth).expect(200);
    expect(typeof link.body.data.url).toBe('string');
    await t.http.get('/api/v1/documents/recent').set(key.auth).expect(200);
    expectScopeRefusal(await upload(key.auth), 'documents:create', 'upload');
  });

  it('documents:create uploads, but may not download', async () => {
    const key = await issueKey(t, org.admin, { scopes: ['documents:create'] });
    const res = await upload(key.auth).expect(201);
    expect(res.body.data).toMatchObject({ mime_type: 'image/png', created_by: org.admin.id });
    for (const url of [
      `/api/v1/documents/${doc}/download`,
      `/api/v1/documents/${doc}/download-url`,
      '/api/v1/documents/recent',
    ]) {
      expectScopeRefusal(await t.http.get(url).set(key.auth), 'documents:read', url);
    }
  });

  it('a key without document scopes reaches no file route', async () => {
    const key = await issueKey(t, org.admin, { scopes: ['leads:*'] });
    expect((await upload(key.auth)).status).toBe(403);
    expect((await t.http.get(`/api/v1/documents/${doc}/download`).set(key.auth)).status).toBe(403);
    expect((await t.http.get(`/api/v1/documents/${doc}/download-url`).set(key.auth)).status).toBe(403);
  });
});

describe('sending email', () => {
  const message = (subject: string) => ({ to: 'someone@example.com', subject, text: 'Hello' });
  const recorded = (subject: string) =>
    t.c.models.get('Email').count({ where: { organization_id: org.organizationId, subject } });

  it('needs emails:create and emails:read (the reply is the record), and is refused before sending', async () => {
    for (const scopes of [['emails:read'], ['emails:create'], ['leads:*']]) {
      const key = await issueKey(t, org.admin, { scopes });
      const subject = `refused ${scopes.join(' ')}`;
      const res = await t.http.post('/api/v1/emails/send').set(key.auth).send(message(subject));
      expect({ scopes, status: res.status }).toEqual({ scopes, status: 403 });
      expect(await recorded(subject)).toBe(0);
    }
    const key = await issueKey(t, org.admin, { scopes: ['emails:create', 'emails:read'] });
    const sent = await t.http.post('/api/v1/emails/send').set(key.auth).send(message('allowed')).expect(201);
    expect(sent.body.data).toMatchObject({ status: 'queued', created_by: org.admin.id });
    expect(await settledEmail(t, sent.body.data.id)).toMatchObject({ status: 'sent' });
  });
});

describe('routes about a person, not records', () => {
  it('refuse every key, even one with every scope', async () => {
    const key = await issueKey(t, org.admin, { scopes: ['*'] });
    const me = await t.http.get('/api/v1/auth/me').set(key.auth).expect(403);
    expectErrorShape(me.body);
    expect(me.body.error.message).toMatch(/API keys cannot use this route/);
    await t.http.get('/api/v1/auth/me').set(org.admin.auth).expect(200);
    await t.http.get('/api/v1/api-keys').set(key.auth).expect(403);
  });

  it('users: read and manage records through users scopes (there is no invite route yet)', async () => {
    const reader = await issueKey(t, org.admin, { scopes: ['users:read'] });
    await t.http.get(`/api/v1/users/${org.rep.id}`).set(reader.auth).expect(200);
    const refused = await t.http
      .post('/api/v1/users')
      .set(reader.auth)
      .send({ email: `invitee.${Date.now()}@example.com`, password: 'long-enough-1' });
    expectScopeRefusal(refused, 'users:create', 'create a user');
  });
});
