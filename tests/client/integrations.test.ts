import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NexaClient } from '../../client/src/index.js';
import { clientFor, failure, startClientApp, type ClientTestApp } from '../helpers/client';
import { HTML, PDF, PNG } from '../helpers/files';
import { waitFor } from '../helpers/realtime';
import { createTenant, type Tenant } from '../helpers/tenant';

let t: ClientTestApp;
let org: Tenant;
let admin: NexaClient;
const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'nexa-client-uploads-'));

beforeAll(async () => {
  t = await startClientApp({ STORAGE_DRIVER: 'local', UPLOADS_DIR: uploads });
  org = await createTenant(t.c, 'Client Integrations');
  admin = clientFor(t, org.admin);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(uploads, { recursive: true, force: true });
});

const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe('integrations.Core', () => {
  it('UploadFile stores a public file whose link anyone can read back', async () => {
    const file = new File([PNG], 'pixel.png', { type: 'image/png' });
    const { file_url, document } = await admin.integrations.Core.UploadFile({ file });
    expect(file_url.startsWith(`${t.url}/`)).toBe(true);
    expect(document).toMatchObject({ name: 'pixel.png', is_private: false, mime_type: 'image/png' });
    const res = await fetch(file_url);
    expect(res.status).toBe(200);
    expect(await bytes(res)).toEqual(PNG);
  });

  it('UploadPrivateFile and CreateFileSignedUrl: a private file read through a short-lived link', async () => {
    const { file_uri, document } = await admin.integrations.Core.UploadPrivateFile({
      file: new File([PDF], 'terms.pdf', { type: 'application/pdf' }),
    });
    expect(document).toMatchObject({ id: file_uri, is_private: true, url: null });
    const { signed_url, expires_at } = await admin.integrations.Core.CreateFileSignedUrl({ file_uri });
    expect(Date.parse(expires_at!)).toBeGreaterThan(Date.now());
    const res = await fetch(signed_url);
    expect(res.status).toBe(200);
    expect(await bytes(res)).toEqual(PDF);
  });

  it('FileAPI uploads with document fields and downloads with the session', async () => {
    const doc = await admin.files.upload(new Blob([PNG], { type: 'image/png' }), { name: 'Logo' });
    expect(doc).toMatchObject({ name: 'Logo', original_filename: 'upload', is_private: true });
    expect(Buffer.from(await (await admin.files.download(doc.id)).arrayBuffer())).toEqual(PNG);
    // Another organization's document is as missing as one that never existed.
    const stranger = clientFor(t, (await createTenant(t.c, 'Client Strangers')).admin);
    expect(await failure(stranger.files.downloadUrl(doc.id))).toMatchObject({ status: 404 });
  });

  it('refuses a file whose content is not what it claims, as an ApiError', async () => {
    const error = await failure(
      admin.integrations.Core.UploadFile({ file: new File([HTML], 'cat.png', { type: 'image/png' }) }),
    );
    expect(error).toMatchObject({ name: 'ApiError', status: 415 });
    expect(error.message).toMatch(/html/i);
  });

  it('SendEmail sends through the mailer and records the Email', async () => {
    const to = 'client-recipient@example.com';
    const email = await admin.integrations.Core.SendEmail({
      to,
      subject: 'Your quote',
      body: '<p>Here is <b>your</b> quote.</p>',
      from_name: 'Nexa Sales',
    });
    expect(email).toMatchObject({ to: [to], subject: 'Your quote', from_name: 'Nexa Sales' });
    const delivered = await waitFor(async () => {
      const current = await admin.entities.Email.get(email.id);
      return current.status === 'sent' ? current : undefined;
    }, 'delivery');
    expect(delivered).toMatchObject({ body_html: '<p>Here is <b>your</b> quote.</p>', status: 'sent' });
  });
});
