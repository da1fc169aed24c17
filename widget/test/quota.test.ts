// The daily quota as a visitor meets it: the widget says plainly that the limit is reached and when
// it resets (a QUOTA_EXCEEDED, not "too many messages"); the message waits in the outbox until then.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seriousViolations } from './support/a11y.ts';
import { startStack, type Stack } from './support/stack.ts';
import { browserSuite, lastReply, send, signUp, userMessages } from './support/widget.ts';

browserSuite('a visitor with a daily quota', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { QUOTA_USER_MESSAGES_PER_DAY: '3', OFFLINE_CHUNK_DELAY_MS: '0' } });
  });
  afterAll(() => stack?.stop());

  it('sees a plain notice of the reached limit with its reset time, and the message waits', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    const banner = widget.locator('[part="banner"]');
    for (let i = 1; i <= 3; i++) {
      await send(widget, `question ${i}`);
      await expect.poll(() => userMessages(widget).count()).toBe(i);
      await lastReply(widget);
    }
    expect(await banner.count()).toBe(0);

    await send(widget, 'question 4');
    await expect.poll(() => banner.innerText()).toMatch(/^You have reached today's limit\. You can send again at \d{1,2}:\d{2}/);
    expect(await banner.innerText()).not.toContain('Too many messages');
    // Still shown, queued for when the quota resets.
    expect(await userMessages(widget).count()).toBe(4);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
