// Coming back: a reload returns to the bot and chat the visitor was in, and a start-up that cannot
// confirm the sign-in for a moment does not show a visitor with valid tokens as signed out.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.ts';
import { browserSuite, lastReply, send, signUp, userMessages } from './support/widget.ts';

browserSuite('a visitor coming back', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  const header = (widget: import('playwright-core').Locator) => widget.locator('[part="header"] h2');

  it('comes back to the bot and chat it was in after a reload; the bot attribute only chose the first visit', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    expect(await header(widget).innerText()).toBe('Support'); // bot="support" on the demo page
    await widget.locator('mbc-bot-list').getByRole('button', { name: /^Tutor/ }).click();
    await send(widget, 'An older chat with Tutor');
    await lastReply(widget);
    await widget.getByRole('button', { name: 'New chat' }).first().click();
    await send(widget, 'The chat I was in');
    await lastReply(widget);
    // Open the older chat again: that is where the visitor is now.
    await widget.locator('mbc-session-list').getByRole('button', { name: /^An older chat with Tutor/ }).click();
    await expect.poll(() => userMessages(widget).allInnerTexts()).toEqual(['An older chat with Tutor']);

    await page.reload();
    await expect.poll(() => header(widget).innerText()).toBe('Tutor');
    await expect.poll(() => userMessages(widget).allInnerTexts()).toEqual(['An older chat with Tutor']);
    // The bubble on the same page keeps its own place (bot="fun").
    await page.locator('#bubble').getByRole('button', { name: 'Open chat' }).click();
    await expect.poll(() => header(page.locator('#bubble')).innerText()).toBe('Fun');
  });

  it('stays signed in when the first "who am I" fails with an auth error while the stored tokens are valid', async () => {
    const { context, page, widget } = await stack.openDemo();
    await signUp(widget);
    await send(widget, 'Still here?');
    await lastReply(widget);

    // The next start-up's "who am I" is refused (as when another tab was rotating the tokens at that moment).
    let refused = 0;
    await context.route(stack.api.graphqlUrl, async (route) => {
      if (!/\bme\b/.test(route.request().postData() ?? '') || refused >= 2) return route.fallback();
      refused++;
      await route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ data: null, errors: [{ message: 'Not signed in.', extensions: { code: 'UNAUTHENTICATED' } }] }),
      });
    });
    await page.reload();
    await expect.poll(() => refused).toBe(2);
    await expect.poll(() => userMessages(widget).allInnerTexts()).toEqual(['Still here?']);
    expect(await widget.getByLabel('Password').count()).toBe(0);
    // Later requests go through: still signed in, and able to chat.
    await context.unroute(stack.api.graphqlUrl);
    await send(widget, 'Yes');
    await expect.poll(() => userMessages(widget).allInnerTexts()).toEqual(['Still here?', 'Yes']);
    await lastReply(widget);
    expect(await widget.getByLabel('Password').count()).toBe(0);
  });
});
