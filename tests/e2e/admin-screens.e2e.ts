import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';
import { asUser, launch, listen, shot } from './browser';

/**
 * The admin screens over the analytics, intake and import endpoints: the dashboard's leaderboard and
 * goals, the spam queue, imports with per-row errors and admins' account controls.
 */
let t: TestApp;
let org: Tenant;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;

beforeAll(async () => {
  t = await startTestApp({ INTAKE_SPAM_THRESHOLD: '50' });
  org = await createTenant(t.c, 'E2E Screens Org');
  server = await listen(t);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t.close();
});

const as = (email: string, run: (page: Page) => Promise<void>) => asUser(browser, server.url, email, run);

describe('the admin screens', () => {
  it('ranks sellers on the dashboard leaderboard by the chosen metric and shows goal progress', async () => {
    await t.http
      .post('/api/v1/deals')
      .set(org.admin.auth)
      .send({
        name: 'Big win',
        owner_id: org.rep.id,
        stage: 'closed_won',
        amount: 12000,
        actual_close_date: new Date().toISOString(),
      })
      .expect(201);
    await t.http
      .post('/api/v1/analytics/goals')
      .set(org.admin.auth)
      .send({ user_id: org.rep.id, metric: 'deals_won', period: 'month', target: 4 })
      .expect(201);
    await as(org.admin.email, async (page) => {
      const board = page.getByRole('table', { name: 'Leaderboard' });
      await board.waitFor();
      const first = board.locator('tbody tr').first();
      expect(await first.locator('td').nth(1).textContent()).toBe('rep E2E Screens Org');
      expect(await first.locator('td').nth(2).textContent()).toBe(
        new Intl.NumberFormat('en-US').format(12000),
      );
      await page.getByLabel('Rank by').selectOption('deals_won');
      await board.getByRole('columnheader', { name: 'Deals won' }).waitFor();
      expect(await board.locator('tbody tr').first().locator('td').nth(2).textContent()).toBe('1');
      const goal = page.getByRole('list', { name: 'Goals' }).locator('li').first();
      expect(await goal.textContent()).toContain('rep E2E Screens Org');
      expect(await goal.textContent()).toContain('1 of 4 · 25%');
      await shot(page, 'dashboard-leaderboard');
    });
  });

  it('lets a manager release a held lead from the spam queue and open the lead it created', async () => {
    const form = await t.http
      .post('/api/v1/intake/forms')
      .set(org.admin.auth)
      .send({ name: 'Fair form' })
      .expect(201);
    await t.http
      .post('/api/v1/intake/leads')
      .set('X-Intake-Key', form.body.data.public_key as string)
      .send({ email: 'held.e2e@trashmail.com', first_name: 'Heldon', last_name: 'Back' })
      .expect(202);
    await as(org.manager.email, async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Spam queue' }).click();
      await page.getByRole('img', { name: 'Top spam reasons' }).waitFor();
      const row = page.getByRole('row', { name: /held\.e2e@trashmail\.com/ });
      expect(await row.textContent()).toContain('disposable email');
      await shot(page, 'spam-queue');
      await row.getByRole('link').click();
      await page.getByRole('heading', { name: 'held.e2e@trashmail.com' }).waitFor();
      await page.getByText('Heldon').waitFor();
      await page.getByRole('button', { name: 'Release as a lead' }).click();
      await page.getByRole('link', { name: 'Heldon Back' }).click();
      await page.getByRole('heading', { name: 'Heldon Back' }).waitFor();
      expect(page.url()).toContain('/admin/e/leads/');
    });
    expect(
      await t.c.models
        .get('Lead')
        .count({ where: { organization_id: org.organizationId, email: 'held.e2e@trashmail.com' } }),
    ).toBe(1);
  });

  it('imports a CSV with renamed columns, skipping the invalid row and showing its error', async () => {
    const csv = [
      'Given Name,Mail,Firm,Notes to drop',
      'Imogen,imogen.e2e@example.com,Importers Ltd,x',
      'Broken,not-an-email,Nowhere,y',
      'Ivo,ivo.e2e@example.com,Importers Ltd,z',
    ].join('\n');
    await as(org.admin.email, async (page) => {
      await page.goto('/admin/e/leads');
      await page.getByRole('link', { name: 'Import' }).click();
      await page
        .getByLabel('CSV or JSON file')
        .setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      // Detected: nothing matches these headers by name, so map them by hand.
      expect(await page.getByLabel('Field for column Mail').inputValue()).toBe('');
      await page.getByLabel('Field for column Given Name').selectOption('first_name');
      await page.getByLabel('Field for column Mail').selectOption('email');
      await page.getByLabel('Field for column Firm').selectOption('company');
      await page.getByLabel(/Skip invalid rows/).check();
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByText('Import finished: 2 created, 1 skipped of 3 rows.').waitFor();
      const errors = page.getByRole('table', { name: 'Row errors' });
      const cells = await errors.locator('tbody tr').first().locator('td').allTextContents();
      expect(cells[0]).toBe('3');
      expect(cells[1]).toBe('Email');
      await shot(page, 'import-row-errors');
    });
    const imported = await t.c.models.get('Lead').findAll({
      where: { organization_id: org.organizationId, company: 'Importers Ltd' },
      raw: true,
    });
    expect(imported.map((l) => (l as unknown as { first_name: string }).first_name).sort()).toEqual([
      'Imogen',
      'Ivo',
    ]);
  });

  it("lets an admin change a colleague's role and deactivate then reactivate them", async () => {
    await as(org.admin.email, async (page) => {
      await page.goto(`/admin/e/users/${org.soloRep.id}`);
      await page.getByLabel('Account role').selectOption('manager');
      await page.getByRole('button', { name: 'Change role' }).click();
      await page.getByText('Role changed to manager').waitFor();
      await page.getByLabel('Reports to').selectOption(org.manager.id);
      await page.getByRole('button', { name: 'Set manager' }).click();
      await page.getByText('Manager set').waitFor();
      await page.getByRole('button', { name: 'Deactivate' }).click();
      await page.getByRole('button', { name: 'Reactivate' }).waitFor();
      await shot(page, 'user-account');
      await page.getByRole('button', { name: 'Reactivate' }).click();
      await page.getByRole('button', { name: 'Deactivate' }).waitFor();
    });
    expect(
      (await t.c.models.get('User').findByPk(org.soloRep.id, { raw: true })) as unknown as Record<
        string,
        unknown
      >,
    ).toMatchObject({ role: 'manager', manager_id: org.manager.id, is_active: true });
  });
});
