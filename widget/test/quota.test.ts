// The daily quota as a visitor meets it: past the limit, the widget says plainly that it is reached
// and when it resets (the API's QUOTA_EXCEEDED), not "too many messages" as for a rate limit.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seriousViolations } from './support/a11y.ts';
import { startStack, type Stack } from './support/stack.ts';
import { browserSuite, lastReply, send, signUp, userMessages } from './support/widget.ts';

browserSuite('a visitor with a daily quota', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { QUOTA_USER_MESSAGES_PER_DAY: '2', OFFLINE_CHUNK_DELAY_MS: '0' } });
  });
  afterAll(() => stack?.stop());

  it('is told plainly that the limit is reached and when it resets', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    for (let i = 1; i <= 2; i++) {
      await send(widget, `question ${i}`);
      await expect.poll(() => userMessages(widget).count()).toBe(i);
      await lastReply(widget);
    }
    await send(widget, 'question 3');
    const notice = widget.getByRole('alert');
    await expect.poll(() => notice.innerText()).toBe("You have reached today's message limit. It resets at 00:00 UTC.");
    expect(await seriousViolations(page)).toEqual([]);
  });
});
