// The console's journeys in real Chromium against a real API: sign-in (and a non-admin turned
// away), analytics with its chart, sites, users and the audit log, each view axe-core clean, under
// the page's strict Content-Security-Policy with no violation.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../../../widget/test/support/a11y.ts';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { chromiumAvailable, launchChromium } from '../support/chromium.ts';
import { errorCode, gql, gqlOk, registerUser, uniqueEmail } from '../support/graphql-client.ts';
import { SEND, newChat } from '../support/steps.ts';

const ADMIN_EMAIL = uniqueEmail('console-admin');
const AXE_SOURCE = readFileSync(createRequire(path.resolve(import.meta.dirname, '../../../widget/package.json')).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core, put in through the DevTools protocol: the page's CSP rightly refuses an injected script tag. */
async function axeClean(page: Page) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    const devtools = await page.context().newCDPSession(page);
    await devtools.send('Runtime.evaluate', { expression: AXE_SOURCE });
    await devtools.detach();
  }
  expect(await seriousViolations(page)).toEqual([]);
}

describe.runIf(chromiumAvailable())('the console at /admin', () => {
  let server: ApiServer;
  let browser: Browser;
  let admin: Awaited<ReturnType<typeof registerUser>>;
  const problems: string[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, ['build.mjs'], { cwd: path.resolve(import.meta.dirname, '../../../admin'), stdio: 'ignore' });
    server = await startApiServer({ env: { ADMIN_EMAILS: ADMIN_EMAIL, OFFLINE_CHUNK_DELAY_MS: '0' } });
    admin = await registerUser(server.graphqlUrl, ADMIN_EMAIL);
    // Something to show: a conversation, rolled up by the start-up pass of a second look below.
    const chat = await newChat(server.graphqlUrl);
    await gqlOk(server.graphqlUrl, SEND, { s: chat.sessionId, t: 'How do refunds work for my order?', wait: true }, chat.token);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openConsole(): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const response = await page.goto(`${server.origin}/admin`);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    return page;
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('turns a non-admin away with a plain explanation; the sign-in page is axe clean', async () => {
    const page = await openConsole();
    await axeClean(page);
    const user = await registerUser(server.graphqlUrl);
    await signIn(page, user.email, user.password);
    await page.getByRole('alert').filter({ hasText: 'not an admin' }).waitFor();
    await page.close();
  });

  it('an admin signs in and reads the analytics: totals, a chart and the table, axe clean', async () => {
    const page = await openConsole();
    await signIn(page, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();
    await page.locator('mba-analytics canvas').first().waitFor();
    expect(await page.getByRole('listitem').filter({ hasText: 'Messages' }).textContent()).toMatch(/Messages\s*\d+/);
    await axeClean(page);
    await page.close();
  });

  it('creates a site and rotates its key; disables a user, whose token stops at once, and sets their quota; filters the audit log', async () => {
    const page = await openConsole();
    await signIn(page, admin.email, admin.password);
    await page.getByRole('button', { name: 'Sites' }).click();
    await page.getByRole('form', { name: 'New site' }).getByLabel('Name').fill('Bookshop');
    await page.getByRole('button', { name: 'Create site' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Bookshop' }) });
    await row.waitFor();
    const keyBefore = await row.locator('code').textContent();
    await row.getByRole('button', { name: 'Rotate key' }).click();
    await expect.poll(() => row.locator('code').textContent()).not.toBe(keyBefore);
    await axeClean(page);

    const victim = await registerUser(server.graphqlUrl, uniqueEmail('victim'));
    await page.getByRole('button', { name: 'Users' }).click();
    await page.getByRole('searchbox').fill('victim');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Disable ${victim.email}` }).click();
    await page.getByRole('button', { name: `Enable ${victim.email}` }).waitFor();
    expect(errorCode(await gql(server.graphqlUrl, '{ me { id } }', {}, victim.accessToken))).toBe('UNAUTHENTICATED');
    const quotaForm = page.getByRole('form', { name: `Quota of ${victim.email}` });
    await quotaForm.getByLabel('Messages').fill('12');
    await quotaForm.getByRole('button', { name: 'Set quota' }).click();
    const override = async () =>
      (await gqlOk(server.graphqlUrl, 'query($q: String) { adminUsers(query: $q) { quotaOverride { messagesPerDay tokensPerDay } } }', { q: victim.email }, admin.accessToken)).adminUsers[0]
        .quotaOverride;
    await expect.poll(override).toEqual({ messagesPerDay: 12, tokensPerDay: null });
    await axeClean(page);

    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByLabel('Action').selectOption('USER_DISABLED');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('rowheader', { name: 'user disabled' }).first().waitFor();
    await expect.poll(() => page.getByRole('rowheader', { name: 'site key rotated' }).count()).toBe(0);
    await axeClean(page);
    await page.close();
    expect(problems).toEqual([]);
  });
});
