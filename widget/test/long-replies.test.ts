// Long and pathological replies in the real widget: the page stays responsive while they stream,
// and a reply the renderer cannot lay out as Markdown still shows, finished, also after a reload.
// (Generous budgets only: the timed goal is benchmark #8.)
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from './support/stack.ts';
import { botMessages, browserSuite, lastReply, send, signUp } from './support/widget.ts';

browserSuite('long and pathological replies', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fakeLlm: true });
  });
  afterAll(() => stack?.stop());

  /** Starts recording the page's long main-thread tasks; resolves a reader of the longest so far. */
  async function longTasks(page: Page) {
    await page.evaluate(() => {
      const w = window as unknown as { longest: number };
      w.longest = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longest = Math.max(w.longest, entry.duration);
      }).observe({ type: 'longtask' });
    });
    return () => page.evaluate(() => (window as unknown as { longest: number }).longest);
  }

  it('streams `*a` × 20,000 and "A" × 50,000 without freezing the page', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    const longest = await longTasks(page);
    for (const [index, [reply, tokens]] of ([['*a'.repeat(20_000), 200], ['A'.repeat(50_000), 500]] as const).entries()) {
      stack.llm!.enqueue({ reply, tokens, tokenDelayMs: 5 });
      await send(widget, `Reply with ${reply.slice(0, 2)}…`);
      await expect.poll(() => botMessages(widget).count()).toBe(index + 1);
      await lastReply(widget, 60_000);
      const shown = await botMessages(widget).last().locator('.bubble').evaluate((bubble) => bubble.textContent!.replace(/\s/g, '').length);
      expect(shown).toBe(reply.length);
    }
    // Before, one chunk of `*a` × 20,000 blocked the page for seconds.
    expect(await longest()).toBeLessThan(1500);
  });

  it('shows 3,000 nested quotes as a finished reply, not typing dots, also after a reload', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    const reply = `${'>'.repeat(3000)} the bottom of the well`;
    stack.llm!.enqueue({ reply, tokens: 20, tokenDelayMs: 5 });
    await send(widget, 'Quote yourself');
    const text = await lastReply(widget);
    expect(text).toContain('the bottom of the well');
    expect(await botMessages(widget).last().locator('.dots').count()).toBe(0);

    await page.reload();
    await expect.poll(() => botMessages(widget).count()).toBe(1);
    expect(await botMessages(widget).last().locator('.bubble').innerText()).toContain('the bottom of the well');
  });
});
