// Delivering messages while other replies stream: each chat keeps its own order, chats do not wait
// for each other, and a rate limit says the server's reason with a countdown, then sends by itself.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { startStack, type Stack } from './support/stack.ts';
import { browserSuite, lastReply, send, signUp } from './support/widget.ts';

/** What the fake model answers: slowly when asked for a long reply, at once otherwise. */
const SLOW = 'long please';
const VERY_SLOW = 'very long please';

browserSuite('sending while replies stream', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fakeLlm: true, env: { RATE_LIMIT_CONCURRENT_REPLIES: '2' } });
    stack.llm!.script((request) => {
      const question = String(request.body.messages.at(-1)?.content);
      // Still streaming well after the other chat's steps, however slow the machine.
      if (question.includes(VERY_SLOW)) return { reply: 'A long answer, word by word, '.repeat(10).trim(), tokenDelayMs: 400 };
      return question.includes(SLOW) ? { reply: 'A long answer, word by word, '.repeat(6).trim(), tokenDelayMs: 120 } : { reply: 'Short answer.' };
    });
  });
  afterAll(() => stack?.stop());

  const pickBot = (widget: Locator, name: string) => widget.locator('mbc-bot-list').getByRole('button', { name: new RegExp(`^${name}`) }).click();
  const banner = (widget: Locator) => widget.locator('[part="banner"]');
  const streaming = (widget: Locator) => widget.locator('.msg.bot.streaming');

  it('sends a message to another bot at once while the first bot is still replying', async () => {
    const { widget } = await stack.openDemo();
    await signUp(widget);
    await send(widget, `Support, ${VERY_SLOW}`);
    await streaming(widget).waitFor();

    await pickBot(widget, 'Fun');
    await expect.poll(() => widget.locator('[part="header"] h2').innerText()).toBe('Fun');
    await widget.getByRole('button', { name: 'New chat' }).first().click();
    await send(widget, 'A joke, please');
    // Delivered and answered while Support is still streaming in the other chat.
    expect(await lastReply(widget, 5000)).toBe('Short answer.');
    await expect.poll(() => widget.locator('.msg.user.pending').count()).toBe(0);
    await pickBot(widget, 'Support');
    await expect.poll(() => streaming(widget).count()).toBe(1);
  });

  it("shows the server's reason for a rate limit and sends the waiting message as soon as it is allowed", async () => {
    const { widget } = await stack.openDemo();
    await signUp(widget);
    // Two replies stream (the limit), in two chats.
    await send(widget, `First, ${SLOW}`);
    await streaming(widget).waitFor();
    await widget.getByRole('button', { name: 'New chat' }).first().click();
    await send(widget, `Second, ${SLOW}`);
    await streaming(widget).waitFor();
    await widget.getByRole('button', { name: 'New chat' }).first().click();
    await send(widget, 'Third, short');

    await banner(widget).getByText('Wait for your other 2 replies to finish.').waitFor();
    expect(await banner(widget).innerText()).toMatch(/Wait for your other 2 replies to finish\. Sending in 1 s\./);
    expect(await widget.locator('.msg.user.pending').count()).toBe(1);
    // Once the others end, it goes out without the visitor doing anything, and the banner goes.
    expect(await lastReply(widget, 20_000)).toBe('Short answer.');
    await expect.poll(() => banner(widget).count()).toBe(0);
  });
});
