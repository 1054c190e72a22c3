import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { seedDemoData } from '../../seeders';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';
import { asUser, launch, listen, newPage, shot, signIn } from './browser';

let t: TestApp;
let org: Tenant;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'E2E Org');
  await seedDemoData(t.c, org.organizationId);
  server = await listen(t);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t.close();
});

/** A signed-in page for one test; fails the test if the app logged errors. */
const as = (email: string, run: (page: Page) => Promise<void>, width?: number) =>
  asUser(browser, server.url, email, run, width);

const createLeadThroughApi = async (values: Record<string, unknown>, auth = org.admin.auth) =>
  (await t.http.post('/api/v1/leads').set(auth).send(values).expect(201)).body.data as { id: string };

describe('the admin app in a browser', () => {
  it('serves the app with the right caching and falls back to it for screen paths', async () => {
    const index = await fetch(`${server.url}/admin/e/leads`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const asset = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(`${server.url}${asset}`);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await fetch(`${server.url}/admin/assets/gone-1234.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('shows an admin the dashboard charts from the seeded data', async () => {
    await as(org.admin.email, async (page) => {
      await page.getByLabel('Period').selectOption('365');
      for (const title of ['Leads by status', 'Leads by source', 'New leads per day', 'Pipeline by stage']) {
        const chart = page.getByRole('img', { name: title });
        await chart.waitFor();
        expect(await chart.locator('rect.bar, circle.dot').count()).toBeGreaterThan(1);
      }
      expect(
        await page.getByRole('img', { name: 'Won revenue per month' }).locator('rect.bar').count(),
      ).toBeGreaterThan(0);
      await shot(page, 'dashboard');
    });
  });

  it('creates a lead through the generated form, showing a validation error at the field, then edits and deletes it', async () => {
    await as(org.admin.email, async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click();
      await page.getByRole('link', { name: 'New lead' }).click();
      await page.getByLabel('First name').fill('Grace');
      await page.getByLabel('Email *').fill('not-an-email');
      await page.getByRole('button', { name: 'Save' }).click();
      const email = page.locator('#field-email');
      await page.locator('#field-email-error').waitFor();
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#field-email-error').textContent()).toMatch(/email/i);
      await shot(page, 'lead-form-validation');

      await email.fill('grace.e2e@example.com');
      await page.getByLabel('Company').fill('Hopper Labs');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Grace' }).waitFor();
      await shot(page, 'lead-record');

      await page.getByRole('link', { name: 'Edit' }).click();
      await page.getByLabel('Company').fill('Hopper Industries');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Hopper Industries').waitFor();
      await page.getByRole('heading', { name: 'History' }).waitFor();
      await page.locator('ol.history li').first().waitFor();

      await page.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByRole('heading', { name: 'Leads' }).waitFor();
      expect(await t.c.models.get('Lead').count({ where: { email: 'grace.e2e@example.com' } })).toBe(0);
    });
  });

  it('filters a list by an enum, sorts it by a column and exports it', async () => {
    await as(org.admin.email, async (page) => {
      await page.goto('/admin/e/leads');
      await page.getByText('Filters', { exact: true }).click();
      await page.locator('#filter-status').selectOption('qualified');
      await page.waitForURL(/f\.status=qualified/);
      // The table keeps the previous rows while the new page loads, marked aria-busy.
      await page.locator('table[aria-busy="false"] tbody tr').first().waitFor();
      const statuses = await page.locator('td[data-label="Status"]').allTextContents();
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(['qualified']));

      await page.getByRole('button', { name: /^Email/ }).click();
      await page.waitForURL(/sort=email/);
      await page.locator('th[aria-sort="ascending"]').waitFor();
      await page.locator('table[aria-busy="false"]').waitFor();
      const emails = await page.locator('td[data-label="Email"]').allTextContents();
      expect(emails).toEqual([...emails].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      await shot(page, 'leads-filtered-sorted');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      const csv = fs
        .readFileSync((await download.path())!, 'utf8')
        .trim()
        .split('\r\n');
      expect(csv[0]!.split(',')).toContain('email');
      expect(csv.length - 1).toBe(
        await t.c.models
          .get('Lead')
          .count({ where: { organization_id: org.organizationId, status: 'qualified' } }),
      );
    });
  });

  it('converts a lead and links what the conversion created', async () => {
    const lead = await createLeadThroughApi({
      email: 'convert.e2e@example.com',
      first_name: 'Conan',
      last_name: 'Vert',
      company: 'Convertible Ltd',
    });
    await as(org.admin.email, async (page) => {
      await page.goto(`/admin/e/leads/${lead.id}`);
      await page.getByRole('button', { name: 'Convert lead' }).click();
      await page.getByText('Converted. Created:').waitFor();
      await page.getByRole('link', { name: 'Conan Vert' }).click();
      await page.getByRole('heading', { name: 'Conan Vert' }).waitFor();
      expect(page.url()).toContain('/admin/e/contacts/');
      await shot(page, 'converted-contact');
    });
  });

  it('uploads a document with progress and previews the image', async () => {
    // A 1×1 PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    await as(org.admin.email, async (page) => {
      await page.goto('/admin/e/documents');
      await page
        .getByLabel('File to upload')
        .setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: png });
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await page.getByText('Uploaded pixel.png').waitFor();
      await page.getByRole('link', { name: 'pixel.png' }).first().click();
      await page.getByRole('img', { name: 'Preview of pixel.png' }).waitFor();
      await page.getByRole('link', { name: /Download pixel\.png/ }).waitFor();
      await shot(page, 'document-preview');
    });
  });

  it('keeps a sales rep to their own leads and away from the admin screens', async () => {
    await createLeadThroughApi({ email: 'mine.e2e@example.com', first_name: 'Mine' }, org.rep.auth);
    await createLeadThroughApi({
      email: 'theirs.e2e@example.com',
      first_name: 'Theirs',
      assigned_to: org.soloRep.id,
    });
    await as(
      org.rep.email,
      async (page) => {
        const nav = page.getByRole('navigation', { name: 'Main' });
        expect(await nav.getByRole('link', { name: 'API keys' }).count()).toBe(0);
        expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
        await page.goto('/admin/e/leads');
        await page.getByRole('link', { name: 'Mine' }).waitFor();
        expect(await page.getByText('theirs.e2e@example.com').count()).toBe(0);
        await shot(page, 'rep-leads-phone');
        // Reps keep their leads but may not delete them: the record offers Edit and no Delete.
        await page.getByRole('link', { name: 'Mine' }).click();
        await page.getByRole('link', { name: 'Edit' }).waitFor();
        expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
        await page.goto('/admin/api-keys');
        await page.getByText('There is no such screen, or your role may not use it.').waitFor();
      },
      390,
    );
  });

  it('refreshes a list when a record changes elsewhere (realtime)', async () => {
    await as(org.admin.email, async (page) => {
      await page.goto('/admin/e/leads');
      await page.locator('tbody tr').first().waitFor();
      // Give the event stream a moment to connect before the change happens.
      await page.waitForTimeout(500);
      await createLeadThroughApi({ email: 'live.e2e@example.com', first_name: 'Live' });
      await page.getByRole('link', { name: 'Live' }).waitFor({ timeout: 10_000 });
    });
  });

  it('says clearly that the session ended when the account is deactivated', async () => {
    const { page, errors, close } = await newPage(browser, server.url);
    try {
      await signIn(page, org.teamRep.email);
      await t.http
        .patch(`/api/v1/users/${org.teamRep.id}`)
        .set(org.admin.auth)
        .send({ is_active: false })
        .expect(200);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click();
      await page.getByText('Your session has ended. Sign in again to continue.').waitFor();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await shot(page, 'session-ended');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows an admin the API keys and the audit log', async () => {
    await as(org.admin.email, async (page) => {
      await page.getByRole('link', { name: 'API keys' }).click();
      await page.getByLabel('Name').fill('Vendor feed');
      await page.getByRole('button', { name: 'Create key' }).click();
      const secret = await page.locator('.secret code').textContent();
      expect(secret).toMatch(/^nxk_/);
      await page.getByRole('button', { name: 'Revoke' }).first().click();
      await page.getByRole('cell', { name: 'revoked' }).first().waitFor();
      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.locator('tbody tr').first().waitFor();
      await shot(page, 'audit-log');
    });
  });
});
