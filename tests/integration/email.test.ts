import { startTestApp, type TestApp } from '../helpers/app';
import {
  startRejectingSes,
  startSes,
  useStandInCredentials,
  type SesStandIn,
} from '../helpers/aws-stand-ins';
import { settledEmail } from '../helpers/mail';
import { createTenant, type Tenant } from '../helpers/tenant';

let ses: SesStandIn;
let rejecting: { endpoint: string; stop(): Promise<void> };
let outbox: TestApp;
let viaSes: TestApp;
let viaRejectingSes: TestApp;
let viaUnreachableSes: TestApp;
let org: Tenant;
let other: Tenant;

const sesEnv = (endpoint: string) => ({
  MAIL_DRIVER: 'ses',
  SES_ENDPOINT: endpoint,
  AWS_REGION: 'us-east-1',
  SES_FROM: 'Nexa Sales <sales@nexa.example.com>',
});

beforeAll(async () => {
  useStandInCredentials();
  ses = await startSes();
  rejecting = await startRejectingSes();
  outbox = await startTestApp();
  viaSes = await startTestApp(sesEnv(ses.endpoint));
  viaRejectingSes = await startTestApp(sesEnv(rejecting.endpoint));
  viaUnreachableSes = await startTestApp({ ...sesEnv('http://127.0.0.1:9'), MAIL_MAX_ATTEMPTS: '3' });
  org = await createTenant(outbox.c, 'Mail Org');
  other = await createTenant(outbox.c, 'Other Mail Org');
});
afterAll(async () => {
  for (const t of [outbox, viaSes, viaRejectingSes, viaUnreachableSes]) await t.close();
  await ses.stop();
  await rejecting.stop();
});

const welcome = (name: string) => ({
  to: 'new.hire@example.com',
  template: 'welcome',
  data: {
    name,
    organization_name: 'Acme',
    email: 'new.hire@example.com',
    login_url: 'https://crm.example.com/login',
  },
});
const captured = async (subjectPart: string) =>
  (await ses.emails()).filter((e) => e.subject.includes(subjectPart));

describe('outbox driver (the default)', () => {
  it('answers with the message queued, then records it as sent without it leaving the machine', async () => {
    const res = await outbox.http
      .post('/api/v1/emails/send')
      .set(org.rep.auth)
      .send(welcome('Ada'))
      .expect(201);
    expect(res.body.data).toMatchObject({
      to: ['new.hire@example.com'],
      subject: 'Welcome to Acme, Ada',
      template: 'welcome',
      status: 'queued',
      provider: 'outbox',
      direction: 'outbound',
      created_by: org.rep.id,
    });
    expect(res.body.data.body_text).toContain('https://crm.example.com/login');
    const settled = await settledEmail(outbox, res.body.data.id);
    expect(settled).toMatchObject({ status: 'sent', attempts: 1, error: null });
    expect(settled.provider_message_id).toMatch(/^outbox-/);
    const listed = await outbox.http
      .get('/api/v1/emails?status=sent&template=welcome')
      .set(org.admin.auth)
      .expect(200);
    expect(listed.body.data.map((e: { id: string }) => e.id)).toContain(res.body.data.id);
  });

  it('keeps the one-time link of a sensitive template, since nothing left the machine', async () => {
    const res = await outbox.http
      .post('/api/v1/emails/send')
      .set(org.admin.auth)
      .send({
        to: 'someone@example.com',
        template: 'password-reset',
        data: { name: 'Sam', reset_url: 'https://crm.example.com/reset/abc', expires_in: '1 hour' },
      })
      .expect(201);
    expect(res.body.data.body_text).toContain('https://crm.example.com/reset/abc');
  });
});

describe('SES driver', () => {
  it('delivers both parts to the right recipients, with values inserted literally and escaped', async () => {
    const name = '<script>alert(1)</script> {{7*7}}';
    const res = await viaSes.http
      .post('/api/v1/emails/send')
      .set(org.admin.auth)
      .send(welcome(name))
      .expect(201);
    const settled = await settledEmail(viaSes, res.body.data.id);
    const [mail] = await captured('alert(1)');
    expect(mail).toBeDefined();
    expect(mail!.destination.to).toEqual(['new.hire@example.com']);
    expect(mail!.subject).toBe(`Welcome to Acme, ${name}`);
    expect(mail!.from).toContain('sales@nexa.example.com');
    expect(mail!.body.text).toContain(`Hi ${name},`);
    expect(mail!.body.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; {{7*7}}');
    expect(mail!.body.html).not.toContain('<script>');
    expect(mail!.body.html).not.toContain('49');
    expect(mail!.body.html).toContain('href="https://crm.example.com/login"');
    expect(settled).toMatchObject({ status: 'sent', provider: 'ses', attempts: 1 });
    expect(settled.provider_message_id).toBeTruthy();
  });

  it('sends cc, bcc and reply-to, and derives the text part from html', async () => {
    const res = await viaSes.http
      .post('/api/v1/emails/send')
      .set(org.admin.auth)
      .send({
        // aws-ses-v2-local keeps only the first address of each V1 list, so one address per list here.
        to: ['a@example.com'],
        cc: 'c@example.com',
        bcc: ['d@example.com'],
        reply_to: 'owner@example.com',
        subject: 'Quarterly numbers',
        html: '<p>Revenue is <b>up</b>.</p><p>See you soon.</p>',
      })
      .expect(201);
    await settledEmail(viaSes, res.body.data.id);
    const [mail] = await captured('Quarterly numbers');
    expect(mail!.destination).toEqual({
      to: ['a@example.com'],
      cc: ['c@example.com'],
      bcc: ['d@example.com'],
    });
    expect(mail!.replyTo).toEqual(['owner@example.com']);
    expect(mail!.body.html).toContain('<b>up</b>');
    expect(mail!.body.text).toBe('Revenue is up.\nSee you soon.');
  });

  it('cannot be used to inject headers through the subject or the sender name', async () => {
    const res = await viaSes.http
      .post('/api/v1/emails/send')
      .set(org.admin.auth)
      .send({
        to: 'victim@example.com',
        subject: 'Invoice\r\nBcc: attacker@evil.example',
        from_name: 'Billing\r\nBcc: attacker@evil.example',
        text: 'Please pay.',
      })
      .expect(201);
    await settledEmail(viaSes, res.body.data.id);
    const [mail] = await captured('Invoice');
    expect(mail!.subject).toBe('Invoice Bcc: attacker@evil.example');
    expect(mail!.destination).toEqual({ to: ['victim@example.com'], cc: [], bcc: [] });
    expect(mail!.from).not.toMatch(/[\r\n]/);
  });

  it('does not keep the one-time link of a sensitive template once the message has really left', async () => {
    const res = await viaSes.http
      .post('/api/v1/emails/send')
      .set(org.admin.auth)
      .send({
        to: 'someone@example.com',
        template: 'password-reset',
        data: { name: 'Sam', reset_url: 'https://crm.example.com/reset/secret-token', expires_in: '1 hour' },
      })
      .expect(201);
    expect(JSON.stringify(res.body)).not.toContain('secret-token');
    expect(JSON.stringify(await settledEmail(viaSes, res.body.data.id))).not.toContain('secret-token');
    const [mail] = (await ses.emails()).filter((e) => e.body.text?.includes('secret-token'));
    expect(mail!.destination.to).toEqual(['someone@example.com']);
  });

  it('retries a message SES cannot be reached for, then records it as failed with the reason', async () => {
    const res = await viaUnreachableSes.http
      .post('/api/v1/emails/send')
      .set(org.admin.auth)
      .send({ to: 'x@example.com', subject: 'Unreachable provider', text: 'Hello' })
      .expect(201);
    expect(res.body.data).toMatchObject({ status: 'queued', provider: 'ses' });
    const settled = await settledEmail(viaUnreachableSes, res.body.data.id);
    expect(settled).toMatchObject({ status: 'failed', attempts: 3, provider: 'ses' });
    expect(settled.error).toBeTruthy();
  });

  it('does not retry a message SES refuses: failed at once, with the reason', async () => {
    const res = await viaRejectingSes.http
      .post('/api/v1/emails/send')
      .set(org.admin.auth)
      .send({ to: 'x@example.com', subject: 'Refused by provider', text: 'Hello' })
      .expect(201);
    const settled = await settledEmail(viaRejectingSes, res.body.data.id);
    expect(settled).toMatchObject({ status: 'failed', attempts: 1 });
    expect(settled.error).toMatch(/MessageRejected.*not verified/);
  });
});

describe('bad requests', () => {
  const send = (body: unknown) =>
    outbox.http
      .post('/api/v1/emails/send')
      .set(org.admin.auth)
      .send(body as object);

  it.each([
    ['no recipient', { subject: 'x', text: 'y' }, 'to'],
    ['an invalid address', { to: 'not-an-address', subject: 'x', text: 'y' }, 'to'],
    ['no body', { to: 'a@example.com', subject: 'x' }, undefined],
    [
      'a template and a subject',
      { to: 'a@example.com', subject: 'x', template: 'generic', data: {} },
      undefined,
    ],
    ['an unknown template', { to: 'a@example.com', template: 'nope' }, 'template'],
    [
      'a template without its data',
      { to: 'a@example.com', template: 'welcome', data: { name: 'x' } },
      'data.organization_name',
    ],
    [
      'a template link that is not http(s)',
      {
        to: 'a@example.com',
        template: 'welcome',
        data: { name: 'x', organization_name: 'y', email: 'z', login_url: 'javascript:alert(1)' },
      },
      'data.login_url',
    ],
  ])('refuses %s with 400', async (_what, body, field) => {
    const res = await send(body).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    if (field) expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('answers 404 for a related record of another organization, and sends nothing', async () => {
    const lead = await outbox.http
      .post('/api/v1/leads')
      .set(other.admin.auth)
      .send({ email: 'l@example.com' })
      .expect(201);
    const before = (await ses.emails()).length;
    await viaSes.http
      .post('/api/v1/emails/send')
      .set(org.admin.auth)
      .send({
        to: 'a@example.com',
        subject: 'About a lead',
        text: 'x',
        related_type: 'lead',
        related_id: lead.body.data.id,
      })
      .expect(404);
    expect((await ses.emails()).length).toBe(before);
  });
});
