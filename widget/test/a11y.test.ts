// Keyboard-only and screen-reader use, and an axe-core scan of every screen.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startStack, type Stack } from './support/stack.ts';
import { focused, seriousViolations, tabTo } from './support/a11y.ts';
import { browserSuite, composer, lastReply, newEmail, PASSWORD, send, signUp } from './support/widget.ts';

browserSuite('accessibility', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fakeLlm: true });
  });
  afterAll(() => stack?.stop());

  /** `moving`: scan as things are (mid-animation too); otherwise at rest, with reduced motion. */
  async function expectNoSeriousViolations(page: Page, screen: string, moving = false) {
    if (!moving) await page.emulateMedia({ reducedMotion: 'reduce' });
    const violations = await seriousViolations(page);
    expect(violations, `${screen}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  }

  /** A page with just one widget, sized as given. */
  async function widgetPage(width: number, attributes: Record<string, string> = {}, viewport = { width: 1280, height: 800 }) {
    const { page } = await stack.openDemo(viewport);
    await page.evaluate(
      ({ width, attributes }) => {
        document.querySelectorAll('multi-bot-chat').forEach((element) => element.remove());
        const chat = document.createElement('multi-bot-chat');
        chat.id = 'probe';
        chat.style.width = `${width}px`;
        for (const [name, value] of Object.entries(attributes)) chat.setAttribute(name, value);
        document.querySelector('main')!.prepend(chat);
      },
      { width, attributes },
    );
    return { page, widget: page.locator('#probe') as Locator };
  }

  it('finds no serious or critical violations on any screen', async () => {
    const { page, widget } = await stack.openDemo();
    // Scans at rest: no transition half-way through a colour change (the widget honours this setting).
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await widget.getByLabel('Email').waitFor();
    await expectNoSeriousViolations(page, 'demo page with sign-in');
    await widget.getByRole('button', { name: 'Create account' }).click();
    await widget.getByLabel('Email').fill('not-an-email');
    await expectNoSeriousViolations(page, 'sign-up');

    await signUp(widget);
    await expectNoSeriousViolations(page, 'empty chat');
    stack.llm!.script({ reply: 'A list:\n\n- one\n- two\n\n```js\nlet x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[link](https://example.com)' });
    await send(widget, 'Show me Markdown');
    await lastReply(widget);
    stack.llm!.script({ status: 500 });
    await send(widget, 'And fail, please');
    await widget.locator('.msg.bot.failed').waitFor({ timeout: 20_000 });
    await expectNoSeriousViolations(page, 'chat with Markdown and a failed reply');

    await widget.getByRole('button', { name: 'New bot' }).click();
    await widget.getByRole('dialog').getByLabel('Name').waitFor();
    await page.waitForTimeout(300); // opening animation
    await expectNoSeriousViolations(page, 'bot editor');
    await page.keyboard.press('Escape');

    await page.locator('#theme').selectOption('light');
    await page.waitForTimeout(300); // colour transitions
    await expectNoSeriousViolations(page, 'light theme');
    await page.locator('#lang').selectOption('ar');
    await widget.locator('[dir="rtl"]').first().waitFor();
    await expectNoSeriousViolations(page, 'Arabic, right to left');

    await page.locator('#bubble').getByRole('button', { name: 'Open chat' }).click();
    await expectNoSeriousViolations(page, 'bubble open');

    const narrow = await widgetPage(380);
    await narrow.page.emulateMedia({ reducedMotion: 'reduce' });
    await signUp(narrow.widget);
    await narrow.widget.getByRole('button', { name: 'Show chats' }).click();
    await narrow.page.waitForTimeout(300);
    await expectNoSeriousViolations(narrow.page, 'narrow, chats drawer open');
  });

  it('finds no serious violations in dialogs and confirmations, in both themes, at rest and mid-animation', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    stack.llm!.script({ reply: 'Sure.' });
    await send(widget, 'A chat to delete');
    await lastReply(widget);
    for (const theme of ['dark', 'light']) {
      await page.locator('#theme').selectOption(theme);
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await widget.locator('mbc-session-list').getByRole('button', { name: /^Delete / }).first().click();
      await widget.locator('mbc-session-list').getByRole('group').waitFor();
      await expectNoSeriousViolations(page, `${theme}: delete confirmation`);
      await widget.getByRole('button', { name: 'Keep' }).click();

      // The bot dialog, scanned at once while it opens, then at rest.
      await page.emulateMedia({ reducedMotion: 'no-preference' });
      await widget.getByRole('button', { name: 'New bot' }).click();
      await widget.getByRole('dialog').getByLabel('Name').waitFor();
      await expectNoSeriousViolations(page, `${theme}: bot editor opening`, true);
      await expectNoSeriousViolations(page, `${theme}: bot editor`);
      await page.keyboard.press('Escape');
      await widget.getByRole('dialog').waitFor({ state: 'hidden' });
    }
  });

  it('gives the host page one main landmark and each widget its own labels', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    await page.locator('#bubble').getByRole('button', { name: 'Open chat' }).click();
    await page.locator('#bubble [part="header"] h2').waitFor();
    const landmarks = await page.evaluate(() => {
      const all: Element[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const element of root.querySelectorAll('*')) {
          all.push(element);
          if (element.shadowRoot) walk(element.shadowRoot);
        }
      };
      walk(document);
      return {
        mains: all.filter((e) => e.localName === 'main' || e.getAttribute('role') === 'main').length,
        messages: all.filter((e) => e.getAttribute('part') === 'messages').map((e) => e.getAttribute('aria-label')),
      };
    });
    expect(landmarks.mains).toBe(1); // the demo page's own
    expect(landmarks.messages).toEqual(['Messages with Support', 'Messages with Fun']);
  });

  it('opens the bot dialog without motion when the visitor asks for reduced motion, and marks required fields', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await widget.getByRole('button', { name: 'New bot' }).click();
    const dialog = widget.getByRole('dialog');
    await dialog.getByLabel('Name').waitFor();
    expect(await dialog.evaluate((element) => element.getAnimations({ subtree: true }).map((a) => (a as CSSAnimation).animationName ?? (a as CSSTransition).transitionProperty))).toEqual([]);
    // Both fields the server requires say so, to the eye and to screen readers.
    for (const label of ['Name', /^Instructions/]) {
      const field = dialog.getByLabel(label);
      expect(await field.evaluate((element) => (element as HTMLInputElement).required)).toBe(true);
      expect(await field.evaluate((element) => element.closest('label')!.querySelector('.required')?.textContent)).toBe('*');
    }
  });

  it('can be used with the keyboard alone', async () => {
    const { page, widget } = await stack.openDemo();
    await widget.getByLabel('Email').waitFor();

    // Sign up.
    await tabTo(page, /^Email/);
    await tabTo(page, /^Create account$/);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page))?.label).toMatch(/^Email/);
    await page.keyboard.type(newEmail());
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    // Signed in, the focus waits in the message field.
    await expect.poll(async () => (await focused(page))?.label).toMatch(/^Message Support/);

    // Send, with Enter; Shift+Enter makes a new line instead.
    stack.llm!.script({ reply: 'First sentence. Second sentence!' });
    await page.keyboard.type('Line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    await page.keyboard.press('Enter');
    expect(await lastReply(widget)).toBe('First sentence. Second sentence!');
    expect(await widget.locator('.msg.user .bubble').innerText()).toBe('Line one\nline two');
    // A screen reader heard the reply through the live region.
    await expect.poll(() => widget.locator('mbc-chat-view [aria-live="polite"]').innerText()).toMatch(/sentence/);

    // Choose another bot from the list.
    await tabTo(page, /^Fun/, { back: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => widget.locator('[part="header"] h2').innerText()).toBe('Fun');

    // Make a bot in the dialog, Escape-free: Tab and Enter only.
    await tabTo(page, /^New bot$/);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page))?.label).toMatch(/^Name/);
    await page.keyboard.type('Keyboard bot');
    await tabTo(page, /^Instructions/);
    await page.keyboard.type('Be brief.');
    await page.keyboard.press('Tab'); // temperature slider: arrows change it
    await page.keyboard.press('ArrowRight');
    await tabTo(page, /^Save$/);
    await page.keyboard.press('Enter');
    await widget.locator('mbc-bot-list').getByRole('button', { name: /^Keyboard bot/ }).waitFor();
    await expect.poll(() => widget.locator('[part="header"] h2').innerText()).toBe('Keyboard bot');

    // The dialog closes with Escape, and focus returns where it was.
    await tabTo(page, /^Edit Keyboard bot$/, { back: true });
    await page.keyboard.press('Enter');
    await widget.getByRole('dialog').getByLabel('Name').waitFor();
    await page.keyboard.press('Escape');
    await widget.getByRole('dialog').waitFor({ state: 'hidden' });
    await expect.poll(async () => (await focused(page))?.label).toBe('Edit Keyboard bot');

    // Rename a chat from the list.
    await composer(widget).focus();
    stack.llm!.script({ reply: 'ok' });
    await send(widget, 'Chat to rename');
    await lastReply(widget);
    await tabTo(page, /^Rename Chat to rename$/);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Renamed by keyboard');
    await page.keyboard.press('Enter');
    await widget.locator('mbc-session-list').getByRole('button', { name: /^Renamed by keyboard/ }).waitFor();
    await expect.poll(async () => (await focused(page))?.label).toMatch(/^Renamed by keyboard/);
  });

  it('moves focus into drawers and the bubble, and back out with Escape', async () => {
    const { page, widget } = await widgetPage(380);
    await signUp(widget);

    await tabTo(page, /^Show bots$/, { back: true });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page))?.label).toBe('Close');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await focused(page))?.label).toBe('Show bots');
    await expect.poll(() => widget.getByRole('button', { name: /^Tutor/ }).isVisible()).toBe(false);

    await page.keyboard.press('Enter');
    await tabTo(page, /^Tutor/);
    await page.keyboard.press('Enter');
    await expect.poll(() => widget.locator('[part="header"] h2').innerText()).toBe('Tutor');
    // The drawer closed and the focus went to the message field.
    await expect.poll(async () => (await focused(page))?.label).toMatch(/^Message Tutor/);

    const bubble = page.locator('#bubble-probe');
    await page.evaluate(() => {
      const chat = document.createElement('multi-bot-chat');
      chat.id = 'bubble-probe';
      chat.setAttribute('mode', 'bubble');
      document.body.append(chat);
    });
    await bubble.getByRole('button', { name: 'Open chat' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page))?.label).toMatch(/^Message /);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await focused(page))?.label).toBe('Open chat');
    await expect.poll(() => bubble.locator('[part="frame"]').count()).toBe(0);
  });
});
