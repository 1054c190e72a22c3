import crypto from 'node:crypto';
import path from 'node:path';
import { startTestApp, type TestApp } from './app';
import { binary, CSV, HTML, PDF, PNG, sha256 } from './files';
import { createTenant, type Tenant } from './tenant';

export interface StorageInspector {
  /** Every object key currently stored. */
  keys(): Promise<string[]>;
  /** Fetches a signed URL the app handed out. */
  fetchSigned(t: TestApp, url: string): Promise<{ status: number; body: Buffer; contentType: string | null }>;
  /** The same URL with its signature altered. */
  tamper(url: string): string;
  /** A URL for the key that expired a moment ago. */
  expiredUrl(t: TestApp, key: string): Promise<string>;
}

/**
 * What every storage driver must do, run once per driver: uploads stored with sniffed types and
 * checksums, downloads, signed links that refuse tampering and expiry, public and private documents,
 * deletion, limits, and organization boundaries — with no row or object left behind by any failure.
 */
export function documentStorageScenarios(
  driver: string,
  setup: () => Promise<{
    env: NodeJS.ProcessEnv;
    inspector: StorageInspector;
    keyPrefix: string;
    teardown(): Promise<void>;
  }>,
): void {
  describe(`documents on ${driver} storage`, () => {
    let t: TestApp;
    let small: TestApp;
    let org: Tenant;
    let other: Tenant;
    let inspector: StorageInspector;
    let keyPrefix: string;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      const s = await setup();
      ({ inspector, keyPrefix, teardown } = s);
      t = await startTestApp(s.env);
      small = await startTestApp({ ...s.env, UPLOAD_MAX_BYTES: '2048' });
      org = await createTenant(t.c, 'Files Org');
      other = await createTenant(t.c, 'Other Files Org');
    }, 60_000);
    afterAll(async () => {
      await t.close();
      await small.close();
      await teardown();
    });

    const upload = (
      app: TestApp,
      as: Tenant['admin'],
      body: Buffer,
      filename: string,
      fields: Record<string, string> = {},
      contentType?: string,
    ) => {
      const req = app.http.post('/api/v1/documents/upload').set(as.auth);
      for (const [k, v] of Object.entries(fields)) req.field(k, v);
      return req.attach('file', body, contentType ? { filename, contentType } : filename);
    };
    const storageKey = async (id: string) =>
      (
        (await t.c.models
          .get('Document')
          .findByPk(id, { attributes: ['storage_key'], raw: true })) as unknown as { storage_key: string }
      ).storage_key;
    const documentCount = async (organizationId: string) =>
      t.c.models.get('Document').count({ where: { organization_id: organizationId } });
    const objectsOf = async (organizationId: string) =>
      (await inspector.keys()).filter((k) => k.includes(organizationId));

    it('stores an upload with its sniffed type, size and checksum, under a server-made key', async () => {
      const lead = await t.http
        .post('/api/v1/leads')
        .set(org.admin.auth)
        .send({ email: 'files@example.com', assigned_to: org.rep.id })
        .expect(201);
      const res = await upload(t, org.rep, PNG, 'logo.png', {
        related_type: 'lead',
        related_id: lead.body.data.id,
        description: 'Logo',
      }).expect(201);
      const doc = res.body.data;
      expect(doc).toMatchObject({
        name: 'logo.png',
        original_filename: 'logo.png',
        mime_type: 'image/png',
        size_bytes: PNG.length,
        checksum_sha256: sha256(PNG),
        storage_driver: driver,
        is_private: true,
        uploaded_by: org.rep.id,
        related_type: 'lead',
        related_id: lead.body.data.id,
        description: 'Logo',
        url: null,
      });
      expect(JSON.stringify(res.body)).not.toContain('storage_key');
      const key = await storageKey(doc.id);
      expect(key).toMatch(new RegExp(`^${keyPrefix}${org.organizationId}/[0-9a-f-]{36}$`));
      expect(await inspector.keys()).toContain(key);

      const listed = await t.http
        .get(`/api/v1/documents?related_type=lead&related_id=${lead.body.data.id}`)
        .set(org.admin.auth)
        .expect(200);
      expect(listed.body.data.map((d: { id: string }) => d.id)).toEqual([doc.id]);
      const recent = await t.http.get('/api/v1/documents/recent').set(org.admin.auth).expect(200);
      expect(recent.body.data[0].id).toBe(doc.id);
      const found = await t.http.get('/api/v1/documents?search=LOGO').set(org.admin.auth).expect(200);
      expect(found.body.data.map((d: { id: string }) => d.id)).toContain(doc.id);
    });

    it('streams a download with the stored type, a safe disposition and nosniff', async () => {
      const pdf = (await upload(t, org.admin, PDF, 'Quarterly "report".pdf').expect(201)).body.data;
      const res = await t.http
        .get(`/api/v1/documents/${pdf.id}/download`)
        .set(org.admin.auth)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(Buffer.compare(res.body as Buffer, PDF)).toBe(0);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^inline; filename="Quarterly _report_.pdf"/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');

      const csv = (await upload(t, org.admin, CSV, 'contacts.csv').expect(201)).body.data;
      expect(csv.mime_type).toBe('text/csv');
      const download = await t.http
        .get(`/api/v1/documents/${csv.id}/download`)
        .set(org.admin.auth)
        .expect(200);
      expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    });

    it('hands out short-lived signed links that work, and refuses tampered or expired ones', async () => {
      const doc = (await upload(t, org.admin, PNG, 'signed.png').expect(201)).body.data;
      const res = await t.http
        .get(`/api/v1/documents/${doc.id}/download-url`)
        .set(org.admin.auth)
        .expect(200);
      const { url, expires_at } = res.body.data;
      const ttl = (Date.parse(expires_at) - Date.now()) / 1000;
      expect(ttl).toBeGreaterThan(250);
      expect(ttl).toBeLessThanOrEqual(300);
      const fetched = await inspector.fetchSigned(t, url);
      expect(fetched.status).toBe(200);
      expect(sha256(fetched.body)).toBe(sha256(PNG));
      expect(fetched.contentType).toBe('image/png');
      expect((await inspector.fetchSigned(t, inspector.tamper(url))).status).toBe(403);
      expect(
        (await inspector.fetchSigned(t, await inspector.expiredUrl(t, await storageKey(doc.id)))).status,
      ).toBe(403);
    });

    it('serves a public document at a stable link without sign-in, and a private one never', async () => {
      const pub = (await upload(t, org.admin, PNG, 'public.png', { is_private: 'false' }).expect(201)).body
        .data;
      expect(pub.is_private).toBe(false);
      expect(pub.url).toMatch(new RegExp(`/files/public/${pub.id}$`));
      const path = new URL(pub.url).pathname;
      const open = await t.http.get(path).buffer(true).parse(binary).expect(200);
      expect(sha256(open.body as Buffer)).toBe(sha256(PNG));
      await t.http
        .patch(`/api/v1/documents/${pub.id}`)
        .set(org.admin.auth)
        .send({ is_private: true })
        .expect(200);
      await t.http.get(path).expect(404);

      const priv = (await upload(t, org.admin, PNG, 'private.png').expect(201)).body.data;
      await t.http.get(`/files/public/${priv.id}`).expect(404);
      await t.http.get(`/api/v1/documents/${priv.id}/download`).expect(401);
    });

    it('deletes the stored object with the document', async () => {
      const doc = (await upload(t, org.admin, PNG, 'gone.png').expect(201)).body.data;
      const key = await storageKey(doc.id);
      await t.http.delete(`/api/v1/documents/${doc.id}`).set(org.admin.auth).expect(204);
      await t.http.get(`/api/v1/documents/${doc.id}`).set(org.admin.auth).expect(404);
      for (let i = 0; i < 50 && (await inspector.keys()).includes(key); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await inspector.keys()).not.toContain(key);
    });

    it('streams a large file through without holding it in memory', async () => {
      const big = Buffer.concat([PDF, crypto.randomBytes(12 * 1024 * 1024)]);
      const doc = (await upload(t, org.admin, big, 'large.pdf').expect(201)).body.data;
      expect(doc).toMatchObject({
        size_bytes: big.length,
        checksum_sha256: sha256(big),
        mime_type: 'application/pdf',
      });
      const { url } = (
        await t.http.get(`/api/v1/documents/${doc.id}/download-url`).set(org.admin.auth).expect(200)
      ).body.data;
      const fetched = await inspector.fetchSigned(t, url);
      expect(fetched.body.length).toBe(big.length);
      expect(sha256(fetched.body)).toBe(sha256(big));
    }, 60_000);

    it('refuses a file over the size limit with 413 and keeps nothing', async () => {
      const before = await documentCount(org.organizationId);
      const big = Buffer.concat([PNG, Buffer.alloc(5000, 1)]);
      const res = await upload(small, org.admin, big, 'big.png').expect(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await documentCount(org.organizationId)).toBe(before);
      expect((await objectsOf(org.organizationId)).length).toBe(await documentCount(org.organizationId));
    });

    it('recognises HTML sent as image/png and refuses it with 415', async () => {
      const before = await objectsOf(org.organizationId);
      const res = await upload(t, org.admin, HTML, 'cat.png', {}, 'image/png').expect(415);
      expect(res.body.error.message).toMatch(/text\/html/);
      expect(await objectsOf(org.organizationId)).toEqual(before);
    });

    it('keeps a traversal file name for display only', async () => {
      const res = await upload(t, org.admin, CSV, '../../etc/passwd').expect(201);
      expect(res.body.data.original_filename).toBe('passwd');
      const key = await storageKey(res.body.data.id);
      expect(key).not.toMatch(/\.\.|etc|passwd/);
      expect(path.posix.normalize(key)).toBe(key);
    });

    it('answers 404 for a related record the caller cannot see, and keeps nothing', async () => {
      const foreignLead = await t.http
        .post('/api/v1/leads')
        .set(other.admin.auth)
        .send({ email: 'x@example.com' })
        .expect(201);
      const before = await objectsOf(org.organizationId);
      const count = await documentCount(org.organizationId);
      const res = await upload(t, org.admin, PNG, 'x.png', {
        related_type: 'lead',
        related_id: foreignLead.body.data.id,
      }).expect(404);
      expect(res.body.error.details[0]).toMatchObject({ field: 'related_id' });
      expect(await documentCount(org.organizationId)).toBe(count);
      expect(await objectsOf(org.organizationId)).toEqual(before);
    });

    it('removes the object again when the row cannot be written', async () => {
      const before = await objectsOf(org.organizationId);
      const res = await upload(t, org.admin, PNG, 'x.png', { name: 'n'.repeat(300) }).expect(400);
      expect(res.body.error.details[0].field).toBe('name');
      await upload(t, org.admin, PNG, 'x.png', { not_a_field: '1' }).expect(400);
      expect(await objectsOf(org.organizationId)).toEqual(before);
    });

    it('answers clearly when the request is not a file upload', async () => {
      await t.http.post('/api/v1/documents/upload').set(org.admin.auth).send({ name: 'x' }).expect(415);
      await t.http.post('/api/v1/documents/upload').set(org.admin.auth).field('name', 'x').expect(400);
      const wrongField = await t.http
        .post('/api/v1/documents/upload')
        .set(org.admin.auth)
        .attach('attachment', PNG, 'a.png')
        .expect(400);
      expect(wrongField.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('keeps every organization to its own files', async () => {
      const doc = (await upload(t, org.admin, PNG, 'mine.png').expect(201)).body.data;
      await t.http.get(`/api/v1/documents/${doc.id}/download`).set(other.admin.auth).expect(404);
      await t.http.get(`/api/v1/documents/${doc.id}/download-url`).set(other.admin.auth).expect(404);
      await t.http.delete(`/api/v1/documents/${doc.id}`).set(other.admin.auth).expect(404);
      await t.http.get(`/api/v1/documents/${doc.id}/download`).set(org.admin.auth).expect(200);
    });
  });
}
