// The whole visit, on the demo page (another origin) against the real API and the fake Groq server.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { gqlOk } from '../../api/test/support/graphql-client.ts';
import { startStack, type Stack } from './support/stack.ts';
import {
  apiToken,
  botMessages,
  browserSuite,
  composer,
  lastReply,
  send,
  signUp,
  storedMessages,
  PASSWORD,
  userMessages,
} from './support/widget.ts';

browserSuite('a visitor of a page that embeds the widget', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fakeLlm: true });
  });
  afterAll(() => stack?.stop());
  beforeEach(() => stack.llm!.reset());

  it('signs up, streams replies from several bots, manages chats and makes a bot of their own', async () => {
    const { page, widget } = await stack.openDemo();
    const events = page.locator('#events');

    // The page is on one origin, the widget and its API on another.
    const script = await page.locator('script[src$="/widget.js"]').getAttribute('src');
    expect(new URL(script!).origin).toBe(stack.api.origin);
    expect(new URL(page.url()).origin).not.toBe(stack.api.origin);

    const email = await signUp(widget);
    await events.locator('[data-event="mbc-login"]').waitFor();
    expect(await events.locator('[data-event="mbc-login"]').innerText()).toContain(email);

    // The three system bots; the page asked for Support first.
    const bots = widget.locator('mbc-bot-list').getByRole('button', { name: /^(Support|Tutor|Fun)/ });
    await expect.poll(() => bots.count()).toBe(3);
    await expect.poll(() => widget.locator('[part="header"] h2').innerText()).toBe('Support');

    // A reply streams in, as Markdown.
    await widget.getByRole('button', { name: /^Tutor/ }).click();
    await expect.poll(() => widget.locator('[part="header"] h2').innerText()).toBe('Tutor');
    stack.llm!.script({
      reply: 'Here is **bold** text and a list:\n\n- first\n- second\n\n```js\nconsole.log("hi")\n```\n\nSee [the docs](https://example.com/docs).',
      tokenDelayMs: 60,
    });
    await send(widget, 'Teach me Markdown');
    const streaming = widget.locator('.msg.bot.streaming');
    await streaming.waitFor();
    await widget.getByRole('button', { name: 'Stop reply' }).waitFor();
    await expect.poll(async () => (await streaming.locator('.bubble').innerText()).length).toBeGreaterThan(5);
    const early = await streaming.locator('.bubble').innerText();
    const reply = await lastReply(widget);
    expect(reply.length).toBeGreaterThan(early.length);
    const bubble = botMessages(widget).last();
    expect(await bubble.locator('strong').innerText()).toBe('bold');
    expect(await bubble.locator('li').count()).toBe(2);
    expect(await bubble.locator('pre code').innerText()).toBe('console.log("hi")');
    await bubble.getByRole('button', { name: 'Copy code' }).waitFor();
    const link = bubble.getByRole('link', { name: 'the docs' });
    expect(await link.getAttribute('href')).toBe('https://example.com/docs');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    await events.locator('[data-event="mbc-message-sent"]').waitFor();
    await events.locator('[data-event="mbc-reply"]').waitFor();

    // The chat is listed, titled after its first message.
    const sessions = widget.locator('mbc-session-list');
    await sessions.getByRole('button', { name: /^Teach me Markdown/ }).waitFor();

    // A second chat, then back to the first.
    stack.llm!.script({ reply: 'Second chat reply.' });
    await widget.getByRole('button', { name: 'New chat' }).first().click();
    await expect.poll(() => userMessages(widget).count()).toBe(0);
    await send(widget, 'Another question');
    expect(await lastReply(widget)).toBe('Second chat reply.');
    await expect.poll(() => sessions.locator('.pick').count()).toBe(2);
    // Newest activity first, titled by the server.
    await expect.poll(() => sessions.locator('.pick .title').first().innerText()).toBe('Another question');
    await sessions.getByRole('button', { name: /^Teach me Markdown/ }).click();
    await expect.poll(() => userMessages(widget).first().innerText()).toBe('Teach me Markdown');

    // Rename, then delete.
    await sessions.getByRole('button', { name: 'Rename Another question' }).click();
    const title = sessions.getByLabel('Title');
    await title.fill('Renamed chat');
    await title.press('Enter');
    await sessions.getByRole('button', { name: /^Renamed chat/ }).waitFor();
    await sessions.getByRole('button', { name: 'Delete Renamed chat' }).click();
    await sessions.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => sessions.locator('.pick').count()).toBe(1);

    // A bot of one's own.
    await widget.getByRole('button', { name: 'New bot' }).click();
    const dialog = widget.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Barista');
    await dialog.getByLabel('Description').fill('Knows every brew ratio.');
    await dialog.getByLabel(/Instructions/).fill('You are a friendly barista.');
    await dialog.getByLabel('Temperature').fill('0.4');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await widget.locator('mbc-bot-list').getByRole('button', { name: /^Barista/ }).waitFor();
    await expect.poll(() => widget.locator('[part="header"] h2').innerText()).toBe('Barista');
    stack.llm!.script({ reply: 'Use 1:16.' });
    await send(widget, 'Best V60 ratio?');
    expect(await lastReply(widget)).toBe('Use 1:16.');
    // The bot's instructions reached the model.
    const prompt = stack.llm!.requests.at(-1)!.body.messages;
    expect(JSON.stringify(prompt)).toContain('You are a friendly barista.');

    // …and edit it.
    await widget.getByRole('button', { name: 'Edit Barista' }).click();
    await dialog.getByLabel('Name').fill('Head Barista');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await widget.locator('mbc-bot-list').getByRole('button', { name: /^Head Barista/ }).waitFor();

    // What the server stored is what the visitor saw.
    const stored = await storedMessages(stack.api.graphqlUrl, await apiToken(stack.api.graphqlUrl, email, PASSWORD));
    expect(stored.map((s) => s.title).sort()).toEqual(['Best V60 ratio?', 'Teach me Markdown']);

    // Sign out and back in.
    await widget.getByRole('button', { name: 'Sign out' }).click();
    await events.locator('[data-event="mbc-logout"]').waitFor();
    await widget.getByLabel('Email').fill(email);
    await widget.getByLabel('Password').fill('wrong password');
    await widget.getByRole('button', { name: 'Sign in' }).click();
    await widget.getByRole('alert').filter({ hasText: /\S/ }).waitFor();
    await events.locator('[data-event="mbc-error"]').waitFor();
    await widget.getByLabel('Password').fill(PASSWORD);
    await widget.getByRole('button', { name: 'Sign in' }).click();
    await composer(widget).waitFor();
  });

  it('stays signed in across reloads and comes back to the same chat', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    stack.llm!.script({ reply: 'Remembered.' });
    await send(widget, 'Remember this chat');
    await lastReply(widget);

    await page.reload();
    await expect.poll(() => userMessages(widget).first().innerText()).toBe('Remember this chat');
    expect(await lastReply(widget)).toBe('Remembered.');
    await widget.locator('mbc-session-list').getByRole('button', { name: /^Remember this chat/ }).waitFor();
  });

  it('pages back through a long chat', async () => {
    const { page, widget } = await stack.openDemo();
    const email = await signUp(widget);
    // 26 exchanges written through the API: more than the 50 messages of one page.
    const token = await apiToken(stack.api.graphqlUrl, email);
    const { bots } = await gqlOk(stack.api.graphqlUrl, '{ bots { id slug } }', {}, token);
    const support = bots.find((b: { slug: string }) => b.slug === 'support').id;
    const { createSession } = await gqlOk(stack.api.graphqlUrl, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: support }, token);
    stack.llm!.script({ reply: 'noted' });
    for (let i = 0; i < 26; i++) {
      await gqlOk(
        stack.api.graphqlUrl,
        'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t, wait: true) { botMessage { status } } }',
        { s: createSession.id, t: `message ${i}` },
        token,
      );
    }
    await page.reload();
    await widget.locator('mbc-session-list').getByRole('button', { name: /^message 0/ }).click();
    await expect.poll(() => userMessages(widget).count()).toBe(25);
    await widget.getByRole('button', { name: 'Load earlier messages' }).click();
    await expect.poll(() => userMessages(widget).count()).toBe(26);
    expect(await userMessages(widget).first().innerText()).toBe('message 0');
    expect(await widget.getByRole('button', { name: 'Load earlier messages' }).count()).toBe(0);
  });

  it('stops a reply in progress and keeps what was written', async () => {
    const { widget } = await stack.openDemo();
    await signUp(widget);
    stack.llm!.script({ reply: 'one two three four five six seven eight nine ten eleven twelve', tokenDelayMs: 300 });
    await send(widget, 'Count slowly');
    const streaming = widget.locator('.msg.bot.streaming .bubble');
    await expect.poll(async () => (await streaming.innerText()).trim().split(/\s+/).length).toBeGreaterThan(2);
    await widget.getByRole('button', { name: 'Stop reply' }).click();
    await widget.locator('.msg.bot.cancelled').waitFor();
    const kept = await botMessages(widget).last().locator('.bubble').innerText();
    expect(kept).toMatch(/^one two/);
    expect(kept).not.toContain('twelve');
    await widget.getByText('Stopped.').waitFor();
  });

  it('says why a reply failed and retries it', async () => {
    const { page, widget } = await stack.openDemo();
    await signUp(widget);
    stack.llm!.script({ status: 500 });
    await send(widget, 'Will this fail?');
    const failed = widget.locator('.msg.bot.failed');
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.innerText()).toMatch(/The reply failed: \S+/);
    stack.llm!.script({ reply: 'Worked the second time.' });
    await failed.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => lastReply(widget)).toBe('Worked the second time.');
    await page.locator('#events [data-event="mbc-reply"]').first().waitFor();
  });
});

browserSuite('a visitor who sends too fast', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fakeLlm: true, env: { RATE_LIMIT_SENDS_PER_MINUTE: '2' } });
  });
  afterAll(() => stack?.stop());

  it('is told when they can send again, and the message waits its turn', async () => {
    const { widget } = await stack.openDemo();
    await signUp(widget);
    stack.llm!.script({ reply: 'ok' });
    for (const text of ['one', 'two']) {
      await send(widget, text);
      await lastReply(widget);
    }
    await send(widget, 'three');
    const banner = widget.locator('[part="banner"]');
    // The server's reason, and a countdown that counts down.
    await expect.poll(() => banner.innerText()).toMatch(/^You are sending messages too fast\. Try again shortly\. Sending in \d+ s\.$/);
    const seconds = async () => Number((await banner.innerText()).match(/Sending in (\d+) s/)![1]);
    const first = await seconds();
    expect(first).toBeGreaterThan(30);
    await expect.poll(seconds, { timeout: 5000 }).toBeLessThanOrEqual(first - 2);
    await widget.locator('.msg.user.pending .status').getByText('Waiting to send').waitFor();
    expect(await userMessages(widget).count()).toBe(3);
  });
});
