// Regenerates the README screenshots in docs/ (not part of `npm test`):
//   npm run screenshots --prefix widget
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { startStack, type Stack } from './support/stack.ts';
import { browserSuite, lastReply, send, signUp } from './support/widget.ts';

// Names in sentences are isolated (FSI … PDI), so that a right-to-left one cannot turn the sentence around.
const isolated = (name: string) => `\u2068?${name.replace(/[()]/g, '\\$&')}\u2069?`;
const signedInAs = (name: string) => new RegExp(`^Signed in as ${isolated(name)}$`);

const docs = fileURLToPath(new URL('../../docs/', import.meta.url));

const REPLY = `Happy to help! A great **V60** comes down to three things:

1. **Ratio** — start at 1:16, e.g. \`15 g\` coffee to \`250 g\` water.
2. **Grind** — medium-fine, like table salt.
3. **Pour** — bloom with 30 g for 30 s, then pour in slow circles.

\`\`\`text
0:00  bloom   30 g
0:30  pour → 150 g
1:15  pour → 250 g
2:45  done
\`\`\`

More in our [brew guide](https://example.com/v60).`;

browserSuite('screenshots', () => {
  let stack: Stack;
  beforeAll(async () => {
    mkdirSync(docs, { recursive: true });
    stack = await startStack({ fakeLlm: true });
  });
  afterAll(() => stack?.stop());

  /** A page holding only the widget, full size, signed in, with one finished exchange. */
  async function chatPage(width: number, height: number, { lang, ...attributes }: Record<string, string>) {
    const { page } = await stack.openDemo({ width, height });
    await page.evaluate((attrs) => {
      document.body.innerHTML = '';
      document.body.style.margin = '0';
      document.body.style.background = attrs.theme === 'light' ? '#eef0f5' : '#05060a';
      const chat = document.createElement('multi-bot-chat');
      for (const [name, value] of Object.entries(attrs)) chat.setAttribute(name, value);
      chat.style.setProperty('--mbc-height', '100vh');
      chat.style.setProperty('--mbc-radius', '0px');
      document.body.append(chat);
    }, attributes);
    const widget = page.locator('multi-bot-chat');
    await signUp(widget, `shots${Date.now()}@fernway.example`);
    stack.llm!.script({ reply: REPLY, tokenDelayMs: 0 });
    await send(widget, 'How do I brew a great V60 at home?');
    await lastReply(widget);
    if (lang) await widget.evaluate((element, value) => element.setAttribute('lang', value), lang);
    await widget.locator('mbc-composer textarea').blur();
    return { page, widget };
  }

  const shoot = (page: Page, name: string) => page.screenshot({ path: `${docs}${name}.png` });

  it('wide and narrow, dark and light', async () => {
    for (const theme of ['dark', 'light']) {
      const wide = await chatPage(1280, 760, { theme, bot: 'tutor' });
      await shoot(wide.page, `widget-wide-${theme}`);
      const narrow = await chatPage(390, 760, { theme, bot: 'tutor' });
      await shoot(narrow.page, `widget-narrow-${theme}`);
    }
  });

  it('streaming, and the bots drawer when narrow', async () => {
    const { page, widget } = await chatPage(900, 640, { bot: 'fun' });
    stack.llm!.script({ reply: 'Why did the coffee file a police report? It got **mugged**! ☕ Want another one? I have a whole pot of them.', tokenDelayMs: 120 });
    await send(widget, 'Tell me a coffee joke');
    await widget.locator('.msg.bot.streaming .md').waitFor();
    await page.waitForTimeout(900);
    await shoot(page, 'widget-streaming');
    await lastReply(widget);

    const narrow = await chatPage(390, 720, { bot: 'support' });
    await narrow.widget.getByRole('button', { name: 'Show bots' }).click();
    await narrow.page.waitForTimeout(400);
    await shoot(narrow.page, 'widget-narrow-drawer');
  });

  it('right-to-left, sign-in, and the demo page with the bubble open', async () => {
    const rtl = await chatPage(1100, 700, { lang: 'ar', bot: 'tutor' });
    await shoot(rtl.page, 'widget-rtl');

    const { page } = await stack.openDemo({ width: 1280, height: 800 });
    await page.locator('#inline').scrollIntoViewIfNeeded();
    await page.locator('#inline').screenshot({ path: `${docs}widget-sign-in.png` });
    await page.evaluate(() => scrollTo(0, 0));
    await page.locator('#bubble').getByRole('button', { name: 'Open chat' }).click();
    await page.waitForTimeout(400);
    await shoot(page, 'demo-page');
  });

  it('sites: the shop customer signed in by the shop, a guest in the bubble', async () => {
    const shop = await stack.page({ width: 1280, height: 800 });
    await shop.page.goto(`${stack.demo.url}/shop.html`);
    await shop.page.getByRole('button', { name: 'Sign in' }).click(); // the shop's form, filled in for Ana
    const account = shop.page.locator('#account-chat');
    await account.getByText(signedInAs('Ana')).waitFor();
    stack.llm!.script({ reply: 'Your order **#1001** left our roastery this morning and should arrive on Thursday.', tokenDelayMs: 0 });
    await send(account, 'Where is my order?');
    await lastReply(account);
    await account.locator('mbc-composer textarea').blur();
    await shop.page.evaluate(() => scrollTo(0, 0));
    await shop.page.screenshot({ path: `${docs}demo-shop.png`, fullPage: true });

    const guests = await stack.page({ width: 1280, height: 800 });
    await guests.page.goto(`${stack.demo.url}/guests.html`);
    await guests.page.getByRole('button', { name: 'Open chat' }).click();
    const bubble = guests.page.locator('#guest-chat');
    stack.llm!.script({ reply: 'We ship to all of the EU; Vienna usually takes **2–3 days**.', tokenDelayMs: 0 });
    await send(bubble, 'Do you ship to Vienna?');
    await lastReply(bubble);
    await bubble.locator('mbc-composer textarea').blur();
    await guests.page.waitForTimeout(300);
    await shoot(guests.page, 'demo-guests');
  });
});
