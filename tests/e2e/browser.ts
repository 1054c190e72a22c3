import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from '../helpers/app';
import { PASSWORD } from '../helpers/tenant';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

/** The app listening on a loopback port, as a browser needs it. */
export async function listen(t: TestApp): Promise<{ url: string; close: () => Promise<void> }> {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install the Debian package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/**
 * A page that records what would be console errors in a real session. Failed requests the app expects
 * and handles (a 400 with validation messages) are logged by Chromium too; those are not app errors.
 */
export async function newPage(browser: Browser, baseUrl: string, width = 1280) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  return { page, errors, close: () => context.close() };
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/admin/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** Runs `run` on a page signed in as `email`; fails the test if the app logged errors meanwhile. */
export async function asUser(
  browser: Browser,
  baseUrl: string,
  email: string,
  run: (page: Page) => Promise<void>,
  width?: number,
): Promise<void> {
  const { page, errors, close } = await newPage(browser, baseUrl, width);
  try {
    await signIn(page, email);
    await run(page);
    expect(errors).toEqual([]);
  } finally {
    await close();
  }
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
