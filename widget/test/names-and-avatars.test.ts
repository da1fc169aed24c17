// How names, titles and avatars that visitors choose are shown: isolated from the widget's own text,
// whole where the visitor decides on them, and readable on devices without an emoji font.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { startStack, type Stack } from './support/stack.ts';
import { browserSuite, composer, lastReply, send, signUp } from './support/widget.ts';

browserSuite('names, titles and avatars', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  async function makeBot(widget: Locator, name: string) {
    await widget.getByRole('button', { name: 'New bot' }).click();
    const dialog = widget.getByRole('dialog');
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel(/^Instructions/).fill('Be brief.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  /** Where each of `words` starts on screen, left to right: the order a reader sees them in. */
  const visualOrder = (element: Locator, words: string[]) =>
    element.evaluate((node, words) => {
      const text = node.textContent!;
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      const positions: Array<[string, number]> = [];
      for (const word of words) {
        const at = text.indexOf(word);
        let offset = 0;
        for (let current = walker.nextNode(); current; current = walker.nextNode()) {
          const length = current.textContent!.length;
          if (at < offset + length) {
            const range = document.createRange();
            range.setStart(current, at - offset);
            range.setEnd(current, at - offset + 1);
            positions.push([word, range.getBoundingClientRect().left]);
            break;
          }
          offset += length;
        }
        walker.currentNode = node;
      }
      return positions.sort((a, b) => a[1] - b[1]).map(([word]) => word);
    }, words);

  it("keeps a right-to-left override in a bot's name from flipping the widget's own text", async () => {
    const { widget } = await stack.openDemo();
    await signUp(widget);
    // U+202E turns what follows it around, unless the name is isolated.
    await makeBot(widget, 'Helper \u202Eevil is replying');
    await expect.poll(() => widget.locator('[part="header"] h2').innerText()).toContain('Helper');

    // The composer's placeholder reads "Message <name>…": "Message" must still come first.
    const placeholder = await composer(widget).getAttribute('placeholder');
    expect(placeholder).toBe('Message \u2068Helper \u202Eevil is replying\u2069…');
    // While it replies, the header says "<name> is replying…": the widget's words stay in order after the name.
    await send(widget, 'Hello');
    const status = widget.locator('[part="header"] p');
    await status.getByText(/is replying…$/).waitFor();
    // Isolated, the name's reversed part ends at "evil" and the widget's words follow it; not
    // isolated, the override would carry them to the left of it.
    const order = await visualOrder(status, ['Helper', 'evil', 'is replying…']);
    expect(order).toEqual(['Helper', 'evil', 'is replying…']);
    await lastReply(widget);
  });

  it("shows the server's title of a chat, whole, in its delete confirmation", async () => {
    const { widget } = await stack.openDemo();
    await signUp(widget);
    const title = 'Tell me everything about grinding single-origin Ethiopian coffee beans precisely';
    await send(widget, title);
    await lastReply(widget);
    const sessions = widget.locator('mbc-session-list');
    // Until the server titles the chat (just after the reply), the list shows the first message.
    await sessions.locator('.pick .title').getByText(/Ethiopian…$/).waitFor();
    await sessions.getByRole('button', { name: /^Delete / }).first().click();
    const confirmation = sessions.getByRole('group');
    await confirmation.waitFor();
    const label = confirmation.locator('#confirm-title');
    // The server's title (cut at a word; the widget no longer cuts its own "…Ethiopian c…"), shown
    // whole: nothing hidden by an ellipsis.
    const shown = (await label.innerText()).replace(/[\u2068\u2069]/g, '');
    expect(shown).toBe('Delete “Tell me everything about grinding single-origin Ethiopian…”?');
    expect(await label.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  });

  it('shows the initial of a bot whose emoji avatar this device cannot draw', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    // Does this browser have an emoji font? Its drawing of 🛟 differs from that of a code point no font has.
    const drawsEmoji = await page.evaluate(() => {
      const drawing = (text: string) => {
        const canvas = document.createElement('canvas');
        const context = canvas.getContext('2d')!;
        context.font = '16px sans-serif';
        context.fillText(text, 0, 16);
        return canvas.toDataURL();
      };
      return drawing('🛟') !== drawing('\u{10FFFD}');
    });
    const avatars = await widget.locator('mbc-bot-list [part="avatar"]').allInnerTexts();
    // The seeded bots' avatars are 🛟 🎓 🎉: with an emoji font they show, without one their initials do.
    expect(avatars.slice(0, 3)).toEqual(drawsEmoji ? ['🛟', '🎓', '🎉'] : ['S', 'T', 'F']);
  });
});
