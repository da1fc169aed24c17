// The widget on a site, as its three kinds of visitor meet it on the demo: a guest on the guest page
// (a bubble behind launcher.js), the shop's signed-in customer on the account page (identity
// tokens from the shop's own server), and a guest who creates an account and keeps their chats.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seriousViolations } from './support/a11y.ts';
import { DEMO_IDENTITY_SECRET, startStack, type Stack } from './support/stack.ts';
// @ts-expect-error plain ESM without types
import { signIdentityToken } from '../../demo/identity-token.mjs';
import { browserSuite, composer, lastReply, newEmail, PASSWORD, send, userMessages } from './support/widget.ts';

// Names in sentences are isolated (FSI … PDI), so that a right-to-left one cannot turn the sentence around.
const isolated = (name: string) => `\u2068?${name.replace(/[()]/g, '\\$&')}\u2069?`;
const SIGN_IN_ON_SHOP = new RegExp(`^Sign in on ${isolated('Coffee shop (demo)')} to chat\\.$`);
const signedInAs = (name: string) => new RegExp(`^Signed in as ${isolated(name)}$`);

const widgetRequests = (page: Page) => {
  const seen: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/widget.js') seen.push(request.url());
  });
  return seen;
};

/** The launcher on the page: the placeholder from launcher.js, then the widget's own. */
const launcher = (page: Page) => page.getByRole('button', { name: 'Open chat' });

async function openGuestPage(stack: Stack) {
  const { context, page } = await stack.page({ width: 1200, height: 900 });
  const requests = widgetRequests(page);
  await page.goto(`${stack.demo.url}/guests.html`);
  return { context, page, requests, widget: page.locator('#guest-chat') };
}

async function shopSignIn(page: Page, name: string) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill('coffee');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Hello, ${name[0]!.toUpperCase()}${name.slice(1)}`).waitFor();
}

const noAuthForm = async (widget: Locator) => expect(await widget.getByLabel('Email').count()).toBe(0);

browserSuite('the widget on a site', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it('bubble mode loads only the launcher until the visitor hovers it; a click opens the chat', async () => {
    const { page, requests, widget } = await openGuestPage(stack);
    await launcher(page).waitFor();
    await page.waitForLoadState('networkidle');
    expect(requests).toHaveLength(0);

    await launcher(page).hover();
    await expect.poll(() => requests.length).toBe(1);
    await expect.poll(() => page.evaluate(() => !!customElements.get('multi-bot-chat'))).toBe(true);
    expect(await widget.getAttribute('open')).toBeNull(); // hovering loads, it does not open

    await launcher(page).click();
    await composer(widget).waitFor();
    expect(requests).toHaveLength(1);
  });

  it('a keyboard user gets the widget on focus and opens it with Enter, focus landing in the chat', async () => {
    const { page, requests, widget } = await openGuestPage(stack);
    await launcher(page).waitFor();
    await launcher(page).focus();
    await expect.poll(() => requests.length).toBe(1);
    await page.keyboard.press('Enter');
    await composer(widget).waitFor();
    await expect.poll(() => composer(widget).evaluate((el) => el.matches(':focus'))).toBe(true);
  });

  it('a guest chats on first load with no form, and finds the chat again after a reload', async () => {
    const { page, widget } = await openGuestPage(stack);
    await launcher(page).click();
    await composer(widget).waitFor();
    await noAuthForm(widget);
    await widget.getByText('Hi! Ask us anything about your order or our coffee.').waitFor(); // the site's welcome
    await widget.getByText('You are chatting with an AI assistant.').waitFor(); // its disclosure

    await send(widget, 'Do you ship to Vienna?');
    expect((await lastReply(widget)).length).toBeGreaterThan(0);

    await page.reload();
    await launcher(page).click();
    await expect.poll(() => userMessages(widget).allInnerTexts()).toEqual(['Do you ship to Vienna?']);
    await noAuthForm(widget);
  });

  it('a guest who creates an account through the form keeps their chats', async () => {
    const { page, widget } = await openGuestPage(stack);
    await launcher(page).click();
    await send(widget, 'Remember this order, please');
    await lastReply(widget);

    await widget.getByRole('button', { name: 'Show bots' }).click();
    await widget.getByText('Guest').waitFor();
    await widget.getByRole('button', { name: 'Sign in' }).click();
    await widget.getByRole('button', { name: 'Create account' }).click();
    const email = newEmail();
    await widget.getByLabel('Email').fill(email);
    await widget.getByLabel('Password').fill(PASSWORD);
    await widget.getByRole('button', { name: 'Create account' }).click();

    // Back in the chat as the account (the bots drawer still open, naming it), the chat still there.
    await widget.getByText(email).waitFor();
    await page.keyboard.press('Escape');
    await widget.getByRole('button', { name: 'Show chats' }).click();
    await widget.locator('mbc-session-list').getByRole('button', { name: /^Remember this order/ }).waitFor();
  });

  it('a shopper signed in on the shop sees "Signed in as Ana" and chats, never our form; signing out of the shop signs the chat out', async () => {
    const { page } = await stack.page({ width: 1400, height: 900 });
    await page.goto(`${stack.demo.url}/shop.html`);
    const widget = page.locator('#account-chat');
    // Nobody signed in to the shop: the chat says where to sign in, and offers no form of its own.
    await widget.getByText(SIGN_IN_ON_SHOP).waitFor();
    await noAuthForm(widget);

    await shopSignIn(page, 'ana');
    await widget.getByText(signedInAs('Ana')).waitFor();
    await noAuthForm(widget);
    expect(await widget.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await send(widget, 'Where is order 1001?');
    expect((await lastReply(widget)).length).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Sign out' }).click(); // the shop's own button
    await widget.getByText(SIGN_IN_ON_SHOP).waitFor();
    await noAuthForm(widget);
  });

  it('identify answering nothing signs the visitor out at once', async () => {
    const { page } = await stack.page({ width: 1400, height: 900 });
    await page.goto(`${stack.demo.url}/shop.html`);
    await shopSignIn(page, 'ben');
    const widget = page.locator('#account-chat');
    await widget.getByText(signedInAs('Ben')).waitFor();

    const loggedOut = page.evaluate(() => new Promise((resolve) => document.addEventListener('mbc-logout', () => resolve(true), { once: true })));
    await page.evaluate(() => {
      (document.getElementById('account-chat') as HTMLElement & { identify: () => Promise<string> }).identify = async () => '';
    });
    expect(await loggedOut).toBe(true);
    await widget.getByText(SIGN_IN_ON_SHOP).waitFor();
    await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('pk_demo_shop') && k.endsWith(':auth')).length)).toBe(0);
  });

  it('a page can hand over the token in the identity-token attribute instead; emptying it signs out', async () => {
    const { page } = await stack.page({ width: 1400, height: 900 });
    await page.goto(`${stack.demo.url}/shop.html`);
    const widget = page.locator('#account-chat');
    await widget.getByText(SIGN_IN_ON_SHOP).waitFor();
    const token = signIdentityToken({ secret: DEMO_IDENTITY_SECRET, site: 'pk_demo_shop', sub: 'customer-cleo', name: 'Cleo' });
    await widget.evaluate((el: HTMLElement & { identify?: unknown }, t) => {
      el.identify = undefined; // this page's own identify would win
      el.setAttribute('identity-token', t);
    }, token);
    await widget.getByText(signedInAs('Cleo')).waitFor();
    await noAuthForm(widget);
    await widget.evaluate((el) => el.setAttribute('identity-token', ''));
    await widget.getByText(SIGN_IN_ON_SHOP).waitFor();
  });

  it('the new parts pass axe-core in both themes: the gate, the host-site user, the guest, the disclosure', async () => {
    const { page } = await stack.page({ width: 1400, height: 900 });
    await page.goto(`${stack.demo.url}/shop.html`);
    const shopChat = page.locator('#account-chat');
    const guests = await openGuestPage(stack);
    await launcher(guests.page).click();
    await composer(guests.widget).waitFor();
    for (const theme of ['dark', 'light']) {
      await shopChat.evaluate((el, t) => el.setAttribute('theme', t), theme);
      await guests.widget.evaluate((el, t) => el.setAttribute('theme', t), theme);
      await shopChat.getByText(SIGN_IN_ON_SHOP).waitFor();
      await page.waitForTimeout(600); // colours ease into the new theme: scan the settled page
      expect(await seriousViolations(page), `gate, ${theme}`).toEqual([]);
      await guests.widget.getByRole('button', { name: 'Show bots' }).click();
      expect(await seriousViolations(guests.page), `guest, ${theme}`).toEqual([]);
      await guests.page.keyboard.press('Escape');
    }
    await shopSignIn(page, 'ana');
    for (const theme of ['dark', 'light']) {
      await shopChat.evaluate((el, t) => el.setAttribute('theme', t), theme);
      await shopChat.getByText(signedInAs('Ana')).waitFor();
      await page.waitForTimeout(600); // colours ease into the new theme: scan the settled page
      expect(await seriousViolations(page), `host-site user, ${theme}`).toEqual([]);
    }
  });
});

browserSuite('the widget on a site whose sign-ins end quickly', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ACCESS_TOKEN_TTL: '2s', REFRESH_TOKEN_TTL: '3s' } });
  });
  afterAll(() => stack?.stop());

  it("asks the host page again when our sign-in has ended, and the shopper chats on without noticing", async () => {
    const { page } = await stack.page({ width: 1400, height: 900 });
    await page.goto(`${stack.demo.url}/shop.html`);
    await shopSignIn(page, 'ana');
    const widget = page.locator('#account-chat');
    await widget.getByText(signedInAs('Ana')).waitFor();
    // Count the page's identify calls from now on.
    await widget.evaluate((el: HTMLElement & { identify?: () => Promise<string> }) => {
      const original = el.identify!;
      (window as any).identifyCalls = 0;
      el.identify = () => ((window as any).identifyCalls++, original());
    });
    await expect.poll(() => page.evaluate(() => (window as any).identifyCalls)).toBe(1); // a new function is asked at once

    await page.waitForTimeout(4_000); // past both tokens' lifetimes
    await send(widget, 'Still there?');
    expect((await lastReply(widget)).length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as any).identifyCalls)).toBe(2);
    await widget.getByText(signedInAs('Ana')).waitFor();
    await noAuthForm(widget);
  });
});
