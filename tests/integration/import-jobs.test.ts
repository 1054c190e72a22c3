import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant, type TestUser } from '../helpers/tenant';

let t: TestApp;
/** A second instance of the server on the same database: what a load balancer's other node would answer. */
let peer: TestApp;
let org: Tenant;
let other: Tenant;

beforeAll(async () => {
  t = await startTestApp({ IMPORT_PROGRESS_EVERY_ROWS: '1000' });
  peer = await startTestApp();
  org = await createTenant(t.c, 'Import Org');
  other = await createTenant(t.c, 'Other Import Org');
});
afterAll(async () => {
  await t.c.importJobs.idle();
  await t.close();
  await peer.close();
});

type Values = Record<string, unknown>;
interface Job {
  id: string;
  status: string;
  committed: boolean;
  progress: { processed: number };
  counts: { processed: number; created: number; failed: number };
  errors: { row: number; errors: { field?: string; message: string }[] }[];
  ignored_columns: string[];
  error: string | null;
}

const upload = (as: TestUser, file: string | Buffer, name: string, mode?: string, entity = 'leads') =>
  t.http
    .post(`/api/v1/${entity}/import${mode ? `?mode=${mode}` : ''}`)
    .set(as.auth)
    .attach('file', file, name);

/** Polls the job until it has finished, as a client would. */
async function finished(as: TestUser, id: string, entity = 'leads'): Promise<Job> {
  for (let i = 0; i < 1200; i++) {
    const res = await t.http.get(`/api/v1/${entity}/import/${id}`).set(as.auth).expect(200);
    const job = res.body.data as Job;
    if (job.status === 'completed' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import job ${id} did not finish`);
}

async function imported(as: TestUser, file: string | Buffer, name: string, mode?: string): Promise<Job> {
  const res = await upload(as, file, name, mode).expect(202);
  expect(res.headers.location).toBe(`/api/v1/leads/import/${String(res.body.data.id)}`);
  expect(res.body.data).toMatchObject({ status: 'queued', entity: 'Lead' });
  return finished(as, res.body.data.id as string);
}

/** Leads of the organization whose email ends with the domain, by email. */
async function leadsAt(domain: string, organizationId = org.organizationId): Promise<Values[]> {
  const rows = (await t.c.models.get('Lead').findAll({
    where: { organization_id: organizationId },
    order: [['email', 'ASC']],
    raw: true,
  })) as unknown as Values[];
  return rows.filter((r) => String(r.email).endsWith(`@${domain}`));
}

describe('POST /api/v1/<entity>/import', () => {
  const mixed = Buffer.from(
    'First Name, EMAIL ,lead score\nAda,ada@aon.example,10\nBad,not-an-email,20\nBob,bob@aon.example,300\nCy,cy@aon.example,\n',
  );

  it('imports nothing in all_or_nothing mode when a row is invalid, and names each bad row', async () => {
    const job = await imported(org.admin, mixed, 'leads.csv');
    expect(job).toMatchObject({
      status: 'failed',
      committed: false,
      counts: { processed: 4, created: 0, failed: 2 },
    });
    expect(job.error).toMatch(/2 of 4 rows are not valid; nothing was imported/);
    expect(job.errors.map((e) => e.row)).toEqual([3, 4]);
    expect(job.errors[0]!.errors[0]).toMatchObject({ field: 'email' });
    expect(job.errors[1]!.errors[0]).toMatchObject({ field: 'lead_score' });
    expect(await leadsAt('aon.example')).toEqual([]);
  });

  it('keeps the valid rows in skip_invalid mode, mapping headers whatever their case and spacing', async () => {
    const job = await imported(
      org.admin,
      Buffer.from(mixed.toString().replace(/aon\.example/g, 'skip.example')),
      'leads.csv',
      'skip_invalid',
    );
    expect(job).toMatchObject({
      status: 'completed',
      committed: true,
      progress: { processed: 4 },
      counts: { processed: 4, created: 2, failed: 2 },
      ignored_columns: [],
    });
    const rows = await leadsAt('skip.example');
    expect(rows.map((r) => [r.first_name, r.email, r.lead_score])).toEqual([
      ['Ada', 'ada@skip.example', 10],
      ['Cy', 'cy@skip.example', 0],
    ]);
  });

  it('never applies privileged columns: id, organization, creator, and an owner the role may not set', async () => {
    const foreignId = '00000000-0000-4000-8000-000000000001';
    const csv = [
      'id,organization_id,created_by,assigned_to,email,first_name',
      `${foreignId},${other.organizationId},${org.admin.id},${org.manager.id},rep1@priv.example,Rita`,
    ].join('\n');
    const job = await imported(org.rep, Buffer.from(csv), 'leads.csv');
    expect(job).toMatchObject({ status: 'completed', counts: { created: 1, failed: 0 } });
    expect(job.ignored_columns.sort()).toEqual(['assigned_to', 'created_by', 'id', 'organization_id']);
    const [lead] = await leadsAt('priv.example');
    expect(lead).toMatchObject({
      organization_id: org.organizationId,
      created_by: org.rep.id,
      assigned_to: null,
      first_name: 'Rita',
    });
    expect(lead!.id).not.toBe(foreignId);
    expect(await leadsAt('priv.example', other.organizationId)).toEqual([]);
  });

  it('drops an owner outside the importing manager’s team, keeping the row', async () => {
    const csv = [
      'email,assigned_to',
      `team@owner.example,${org.rep.id}`,
      `solo@owner.example,${org.soloRep.id}`,
    ].join('\n');
    const job = await imported(org.manager, Buffer.from(csv), 'leads.csv', 'skip_invalid');
    expect(job).toMatchObject({
      status: 'completed',
      counts: { created: 2, failed: 0 },
      ignored_columns: ['assigned_to'],
    });
    expect((await leadsAt('owner.example')).map((r) => [r.email, r.assigned_to])).toEqual([
      ['solo@owner.example', null],
      ['team@owner.example', org.rep.id],
    ]);
  });

  it('imports a JSON array of records', async () => {
    const json = JSON.stringify([
      { email: 'j1@json.example', 'Last Name': 'One', tags: ['a', 'b'] },
      { email: 'j2@json.example', status: 'qualified', custom_fields: { tier: 'gold' } },
    ]);
    const job = await imported(org.manager, Buffer.from(json), 'leads.json');
    expect(job).toMatchObject({ status: 'completed', counts: { processed: 2, created: 2, failed: 0 } });
    const rows = await leadsAt('json.example');
    expect(rows.map((r) => [r.last_name, r.status, r.tags, r.custom_fields])).toEqual([
      ['One', 'new', ['a', 'b'], {}],
      [null, 'qualified', [], { tier: 'gold' }],
    ]);
  });

  it("imports another organization's CSV export as it was written: byte order mark, accents, quotes", async () => {
    const people = [
      { email: 'jose@export.example', first_name: 'José', company: 'Ñandú, "Sur" S.A.' },
      { email: 'zoe@export.example', first_name: 'Zoë', company: 'Smørrebrød ApS' },
    ];
    for (const p of people) await t.http.post('/api/v1/leads').set(other.admin.auth).send(p).expect(201);
    const csv = await t.http
      .get('/api/v1/leads/export?fields=email,first_name,company&search=export.example&sort=email')
      .set(other.admin.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const file = csv.body as Buffer;
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const job = await imported(org.admin, file, 'leads.csv');
    expect(job).toMatchObject({
      status: 'completed',
      counts: { created: 2, failed: 0 },
      ignored_columns: [],
    });
    const rows = await leadsAt('export.example');
    expect(rows.map((r) => ({ email: r.email, first_name: r.first_name, company: r.company }))).toEqual(
      people,
    );
  });

  it('reports a JSON file that is not an array of records', async () => {
    const job = await imported(org.admin, Buffer.from('[{"email":"x@bad.example"}, 42]'), 'x.json');
    expect(job).toMatchObject({ status: 'failed', committed: false });
    expect(job.error).toMatch(/Item 2 is not a record/);
    expect(await leadsAt('bad.example')).toEqual([]);
  });

  it('refuses a bad mode, a file of another kind, a missing file and an entity the role may not create', async () => {
    expect((await upload(org.admin, mixed, 'a.csv', 'some').expect(400)).body.error.details).toEqual([
      { field: 'mode', message: 'got "some"' },
    ]);
    await upload(org.admin, Buffer.from('x'), 'a.xlsx').expect(415);
    await t.http.post('/api/v1/leads/import').set(org.admin.auth).send({ a: 1 }).expect(415);
    await upload(org.support, mixed, 'a.csv').expect(403);
  });

  it('shows a job to its creator and the admins of its organization only', async () => {
    const res = await upload(org.rep, Buffer.from('email\nseen@jobs.example\n'), 'l.csv').expect(202);
    const id = res.body.data.id as string;
    await finished(org.rep, id);
    await t.http.get(`/api/v1/leads/import/${id}`).set(org.admin.auth).expect(200);
    await t.http.get(`/api/v1/leads/import/${id}`).set(org.teamRep.auth).expect(404);
    await t.http.get(`/api/v1/leads/import/${id}`).set(other.admin.auth).expect(404);
    await t.http.get(`/api/v1/contacts/import/${id}`).set(org.rep.auth).expect(404);
    await t.http.get('/api/v1/leads/import/not-a-uuid').set(org.rep.auth).expect(404);
  });
});

describe('a job whose server died', () => {
  /** A job row as a server leaves it when it dies mid-import: touched `ageSeconds` ago, its file still stored. */
  async function leftBehind(status: 'queued' | 'running', ageSeconds: number, tenant = org) {
    const key = `imports-test/${crypto.randomUUID()}.csv`;
    await t.c.storage.put(key, Readable.from(['email\nx@dead.example\n']), 'text/csv');
    const job = await t.c.models.get('ImportJob').create({
      organization_id: tenant.organizationId,
      created_by: tenant.admin.id,
      entity: 'Lead',
      format: 'csv',
      mode: 'all_or_nothing',
      status,
      file_name: 'dead.csv',
      file_key: key,
      processed: 1500,
    });
    const id = job.get('id') as string;
    await t.c.sequelize.query(
      `UPDATE import_jobs SET updated_at = now() - make_interval(secs => :age) WHERE id = :id`,
      { replacements: { id, age: ageSeconds } },
    );
    return { id, key };
  }

  it('is failed with a clear message when read on any instance, and its file is deleted', async () => {
    const dead = await leftBehind('running', 600);
    const res = await peer.http.get(`/api/v1/leads/import/${dead.id}`).set(org.admin.auth).expect(200);
    expect(res.body.data).toMatchObject({ status: 'failed', committed: false, counts: { created: 0 } });
    expect(res.body.data.error).toBe(
      'The server running this import stopped (no sign of it for 120 seconds); nothing was saved: upload the file again',
    );
    expect(res.body.data.finished_at).toEqual(expect.any(String));
    expect(await t.c.storage.get(dead.key)).toBe(undefined);
  });

  it('is failed at startup, while a job whose server still touches it keeps running', async () => {
    const dead = await leftBehind('queued', 300, other);
    const alive = await leftBehind('running', 5);
    expect(await peer.c.importJobs.recoverAbandoned()).toBeGreaterThanOrEqual(1);
    const status = async (id: string) =>
      (await t.c.models.get('ImportJob').findByPk(id, { raw: true })) as unknown as Values;
    expect(await status(dead.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/stopped/),
    });
    expect(await status(alive.id)).toMatchObject({ status: 'running', error: null });
    const read = await t.http.get(`/api/v1/leads/import/${alive.id}`).set(org.admin.auth).expect(200);
    expect(read.body.data).toMatchObject({ status: 'running', progress: { processed: 1500 } });
    expect(await t.c.storage.get(alive.key)).not.toBe(undefined);
    await t.c.storage.delete(alive.key);
    await t.c.models.get('ImportJob').destroy({ where: { id: alive.id } });
  });
});

describe('a large import', () => {
  const rows = Number(process.env.BIG_IMPORT_ROWS ?? 10_000);
  let file: string;

  beforeAll(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nexa-import-')), 'big.csv');
    const out = fs.openSync(file, 'w');
    fs.writeSync(out, 'Email,First Name,Company,Lead Score\n');
    const batch: string[] = [];
    for (let i = 0; i < rows; i++) {
      batch.push(`big${i}@big.example,Person ${i},Company ${i % 50},${i % 101}`);
      if (batch.length === 5000 || i === rows - 1) {
        fs.writeSync(out, `${batch.join('\n')}\n`);
        batch.length = 0;
      }
    }
    fs.closeSync(out);
  });
  afterAll(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

  it(
    `streams ${rows} rows into one transaction, its progress visible from another instance`,
    async () => {
      const res = await upload(org.admin, file, 'big.csv', 'all_or_nothing').expect(202);
      const id = res.body.data.id as string;
      const seen: number[] = [];
      let job: Job | undefined;
      // Asked of the other instance, which knows only what the job row says.
      for (let i = 0; i < rows && !job; i++) {
        const current = (await peer.http.get(`/api/v1/leads/import/${id}`).set(org.admin.auth).expect(200))
          .body.data as Job;
        seen.push(current.progress.processed);
        if (current.status === 'completed' || current.status === 'failed') job = current;
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(job).toMatchObject({
        status: 'completed',
        committed: true,
        counts: { processed: rows, created: rows, failed: 0 },
      });
      // Progress shows up while the rows are still uncommitted and only ever grows; the stored file is gone.
      // (The embedded database serves one session at a time: the other instance's read waits for the commit.)
      if (process.env.TEST_DATABASE_KIND !== 'embedded')
        expect(seen.some((n) => n > 0 && n < rows)).toBe(true);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(
        await t.c.models
          .get('Lead')
          .count({ where: { organization_id: org.organizationId, company: 'Company 7' } }),
      ).toBe(rows / 50);
      expect(
        await t.c.storage.get(String((await t.c.models.get('ImportJob').findByPk(id))!.get('file_key'))),
      ).toBe(undefined);
    },
    Math.max(300_000, rows * 5),
  );
});
