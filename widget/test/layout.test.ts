// The widget's own box decides the layout (container queries), not the viewport; themes, modes and
// right-to-left languages.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { startStack, type Stack } from './support/stack.ts';
import { browserSuite, composer, signUp } from './support/widget.ts';

browserSuite('layout', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  /** One signed-in widget of the given width on a wide page, then attributes applied. */
  async function widgetOfWidth(width: number, attributes: Record<string, string> = {}) {
    const { page } = await stack.openDemo({ width: 1400, height: 900 });
    await page.evaluate((width) => {
      document.querySelectorAll('multi-bot-chat').forEach((element) => element.remove());
      const chat = document.createElement('multi-bot-chat');
      chat.id = 'probe';
      chat.style.width = `${width}px`;
      document.querySelector('main')!.prepend(chat);
    }, width);
    const widget = page.locator('#probe');
    await signUp(widget);
    for (const [name, value] of Object.entries(attributes)) {
      await widget.evaluate((element, [n, v]) => element.setAttribute(n, v), [name, value]);
    }
    return { page, widget };
  }

  const box = async (locator: Locator) => (await locator.boundingBox())!;
  const visible = (widget: Locator, selector: string) => widget.locator(selector).first().isVisible();

  it('shows bots | chat | chats side by side in a wide box', async () => {
    const { widget } = await widgetOfWidth(1200);
    const [bots, chat, sessions] = await Promise.all(['.bots', '.chat', '.sessions'].map((s) => box(widget.locator(s))));
    expect(bots.x + bots.width).toBeLessThanOrEqual(chat.x + 1);
    expect(chat.x + chat.width).toBeLessThanOrEqual(sessions.x + 1);
    expect(await visible(widget, '[aria-controls="bots"]')).toBe(false);
    expect(await visible(widget, '[aria-controls="sessions"]')).toBe(false);
  });

  it('keeps the bots beside the chat and puts the chats in a drawer in a medium box', async () => {
    const { widget } = await widgetOfWidth(760);
    expect(await visible(widget, 'mbc-bot-list')).toBe(true);
    expect(await visible(widget, 'mbc-session-list')).toBe(false);
    await widget.getByRole('button', { name: 'Show chats' }).click();
    await expect.poll(() => visible(widget, 'mbc-session-list')).toBe(true);
  });

  it('turns both side columns into drawers in a narrow box, even on a wide screen', async () => {
    const { widget } = await widgetOfWidth(380);
    expect(await visible(widget, 'mbc-bot-list')).toBe(false);
    expect(await visible(widget, 'mbc-session-list')).toBe(false);
    const chat = await box(widget.locator('.chat'));
    expect(chat.width).toBeGreaterThan(370);

    const toggle = widget.getByRole('button', { name: 'Show bots' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    await expect.poll(() => visible(widget, 'mbc-bot-list')).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    // The drawer slides over the chat from the start edge (a 0.25 s transition, longer on a busy
    // machine: wait for where it comes to rest); the scrim closes it.
    await expect.poll(async () => Math.abs((await box(widget.locator('.bots'))).x - chat.x), { timeout: 5000 }).toBeLessThanOrEqual(1);
    await widget.locator('.scrim').click({ position: { x: 360, y: 300 } });
    await expect.poll(() => visible(widget, 'mbc-bot-list')).toBe(false);
  });

  it('lays out right to left in Arabic', async () => {
    const { widget } = await widgetOfWidth(1200, { lang: 'ar' });
    await expect.poll(() => widget.locator('[part="frame"]').getAttribute('dir')).toBe('rtl');
    expect(await widget.locator('[part="frame"]').getAttribute('lang')).toBe('ar');
    // Bots on the right, chats on the left.
    const [bots, chat, sessions] = await Promise.all(['.bots', '.chat', '.sessions'].map((s) => box(widget.locator(s))));
    expect(bots.x).toBeGreaterThan(chat.x);
    expect(chat.x).toBeGreaterThan(sessions.x);
    expect(await widget.getByRole('textbox', { name: /^رسالة إلى/ }).count()).toBe(1);
    expect(await widget.getByRole('button', { name: 'محادثة جديدة' }).count()).toBeGreaterThan(0);
  });

  it('opens the narrow drawer from the right in Arabic', async () => {
    const { widget } = await widgetOfWidth(380, { lang: 'ar' });
    await widget.getByRole('button', { name: 'عرض البوتات' }).click();
    const frame = await box(widget.locator('[part="frame"]'));
    const endGap = async () => {
      const drawer = await box(widget.locator('.bots'));
      return Math.abs(drawer.x + drawer.width - (frame.x + frame.width));
    };
    await expect.poll(endGap, { timeout: 5000 }).toBeLessThanOrEqual(1);
  });

  it('follows the theme attribute, and the system setting with theme="auto"', async () => {
    const { page, widget } = await widgetOfWidth(900);
    const background = () => widget.locator('[part="frame"]').evaluate((element) => getComputedStyle(element).backgroundColor);
    const dark = await background();
    await widget.evaluate((element) => element.setAttribute('theme', 'light'));
    const light = await background();
    expect(light).not.toBe(dark);
    await widget.evaluate((element) => element.setAttribute('theme', 'auto'));
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe(light);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe(dark);
    // Host pages restyle through documented custom properties.
    await widget.evaluate((element) => (element as HTMLElement).style.setProperty('--mbc-bg', 'rgb(1, 2, 3)'));
    expect(await background()).toBe('rgb(1, 2, 3)');
  });

  it('floats as a bubble and fills the window in fullscreen mode', async () => {
    const { page } = await stack.openDemo({ width: 1280, height: 800 });
    const bubble = page.locator('#bubble');
    const launcher = bubble.getByRole('button', { name: 'Open chat' });
    const spot = await box(launcher);
    expect(spot.x + spot.width).toBeGreaterThan(1200);
    expect(spot.y + spot.height).toBeGreaterThan(720);
    await expect.poll(() => bubble.locator('[part="frame"]').count()).toBe(0);
    await launcher.click();
    const panel = await box(bubble.locator('[part="frame"]'));
    expect(panel.width).toBeLessThanOrEqual(420);
    expect(panel.x + panel.width).toBeGreaterThan(1200);
    await bubble.getByRole('button', { name: 'Close chat' }).first().click();
    await expect.poll(() => bubble.locator('[part="frame"]').count()).toBe(0);

    await page.locator('#inline').evaluate((element) => element.setAttribute('mode', 'fullscreen'));
    const full = await box(page.locator('#inline'));
    expect([full.x, full.y, full.width, full.height]).toEqual([0, 0, 1280, 800]);
    await composer(page.locator('#inline')).count();
  });

  it('on a phone, never puts the bubble launcher over the inline chat, so tapping Send sends', async () => {
    const { page, widget } = await stack.openDemo({ width: 375, height: 740 });
    await signUp(widget);
    const sendButton = widget.locator('[part="send-button"]');
    const launcher = page.locator('#bubble').locator('[part="launcher"]');
    /** What a tap at the centre of the send button reaches, looking into shadow roots. */
    const tapped = () =>
      sendButton.evaluate((button) => {
        const { x, y, width, height } = button.getBoundingClientRect();
        let hit: Element | null = document.elementFromPoint(x + width / 2, y + height / 2);
        while (hit?.shadowRoot) {
          const inner = hit.shadowRoot.elementFromPoint(x + width / 2, y + height / 2);
          if (!inner || inner === hit) break;
          hit = inner;
        }
        return hit?.closest('[part]')?.getAttribute('part') ?? hit?.localName;
      });
    await composer(widget).fill('Sent with a tap');
    // Wherever the visitor scrolls the send button to (here: the bottom edge, where the launcher sits).
    for (const block of ['end', 'center'] as const) {
      await sendButton.evaluate((button, block) => button.scrollIntoView({ block }), block);
      await expect.poll(tapped).toBe('send-button');
    }
    await sendButton.evaluate((button) => button.scrollIntoView({ block: 'end' }));
    await page.mouse.click(...(await sendButton.boundingBox().then((b) => [b!.x + b!.width / 2, b!.y + b!.height / 2] as const)));
    await widget.locator('.msg.user').getByText('Sent with a tap').waitFor();
    expect(await page.locator('#bubble').getAttribute('open')).toBeNull();
    // Away from the inline chat, the launcher is there again.
    await page.evaluate(() => scrollTo(0, 0));
    await expect.poll(() => launcher.isVisible()).toBe(true);
  });
});
