// Losing the connection: messages wait in the outbox (kept in localStorage) and reach the server
// exactly once, in order, when it is back; a reload meanwhile shows the cached chats.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.ts';
import { apiToken, botMessages, browserSuite, lastReply, send, signUp, storedMessages, userMessages } from './support/widget.ts';

browserSuite('a visitor whose connection comes and goes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  const userTexts = async (email: string) => {
    const [session] = await storedMessages(stack.api.graphqlUrl, await apiToken(stack.api.graphqlUrl, email));
    return session.messages.filter((m) => m.role === 'USER');
  };

  it('queues messages sent offline and delivers each exactly once, in order, when back online', async () => {
    const { context, widget } = await stack.openDemo();
    const email = await signUp(widget);
    await send(widget, 'Before going offline');
    await lastReply(widget);

    await context.setOffline(true);
    await widget.locator('[part="banner"]').getByText(/offline/).waitFor();
    for (const text of ['first', 'second', 'third']) await send(widget, text);
    const pending = widget.locator('.msg.user.pending');
    await expect.poll(() => pending.count()).toBe(3);
    expect(await pending.locator('.status').first().innerText()).toBe('Waiting to send');
    expect((await userTexts(email)).map((m) => m.text)).toEqual(['Before going offline']);

    await context.setOffline(false);
    await expect.poll(() => pending.count()).toBe(0);
    await expect.poll(() => botMessages(widget).count()).toBe(4);
    await lastReply(widget);
    const stored = await userTexts(email);
    expect(stored.map((m) => m.text)).toEqual(['Before going offline', 'first', 'second', 'third']);
    expect(new Set(stored.map((m) => m.clientMessageId)).size).toBe(4);
    expect(await userMessages(widget).allInnerTexts()).toEqual(['Before going offline', 'first', 'second', 'third']);
  });

  it('shows the cached chats and queued messages after a reload while the server is unreachable', async () => {
    const { context, page, widget } = await stack.openDemo();
    const email = await signUp(widget);
    await send(widget, 'Cached hello');
    const reply = await lastReply(widget);

    // The page still loads; only the API is gone.
    const unreachable = (url: URL) => url.href.startsWith(stack.api.graphqlUrl);
    await context.route(unreachable, (route) => route.abort('internetdisconnected'));
    await send(widget, 'Sent while unreachable');
    await page.reload();

    await expect.poll(() => userMessages(widget).allInnerTexts()).toEqual(['Cached hello', 'Sent while unreachable']);
    expect(await botMessages(widget).first().locator('.bubble').innerText()).toBe(reply);
    await widget.locator('mbc-session-list').getByRole('button', { name: /^Cached hello/ }).waitFor();
    await widget.locator('[part="banner"]').getByText('Cannot reach the chat server.').waitFor();

    await context.unroute(unreachable);
    await expect.poll(() => widget.locator('.msg.user.pending').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => botMessages(widget).count()).toBe(2);
    await lastReply(widget);
    expect((await userTexts(email)).map((m) => m.text)).toEqual(['Cached hello', 'Sent while unreachable']);
  });

  it('tells the visitor at once when the server is unreachable while the browser is online, and recovers', async () => {
    const { context, widget } = await stack.openDemo();
    const email = await signUp(widget);
    await send(widget, 'Before the outage');
    await lastReply(widget);

    // The network is up (navigator.onLine stays true); only the API does not answer.
    const unreachable = (url: URL) => url.href.startsWith(stack.api.graphqlUrl);
    await context.route(unreachable, (route) => route.abort('connectionrefused'));
    await send(widget, 'During the outage');
    // Without waiting for the SDK's retries (about 15 s) to give up.
    await widget.locator('[part="banner"]').getByText('Cannot reach the chat server.').waitFor({ timeout: 4000 });
    expect(await widget.locator('.msg.user.pending .status').innerText()).toBe('Waiting to send');
    expect(await widget.evaluate(() => navigator.onLine)).toBe(true);

    await context.unroute(unreachable);
    await expect.poll(() => widget.locator('.msg.user.pending').count(), { timeout: 45_000 }).toBe(0);
    await expect.poll(() => widget.locator('[part="banner"]').count()).toBe(0);
    await lastReply(widget);
    expect((await userTexts(email)).map((m) => m.text)).toEqual(['Before the outage', 'During the outage']);
  });
});
