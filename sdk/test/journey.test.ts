// A user's whole journey through the SDK against a real API server (offline model).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AuthChange, type ChatClient, type Message, NotFoundError, type SessionEvent, VERSION } from '../src';
import { type ApiServer, clientOf, PASSWORD, signedInClient, startApi, uniqueEmail } from './support/api';

let server: ApiServer;

beforeAll(async () => {
  server = await startApi();
});
afterAll(() => server?.stop());

const textOfDeltas = (events: SessionEvent[], messageId: string) =>
  events.map((event) => (event.type === 'delta' && event.messageId === messageId ? event.text : '')).join('');

describe('the journey', () => {
  test('register, pick a bot, chat with a streamed reply, read the history, sign out', async () => {
    const chat = clientOf(server);
    const changes: AuthChange[] = [];
    chat.auth.onChange((change) => changes.push(change));
    expect(chat.auth.isAuthenticated).toBe(false);
    expect(await chat.auth.me()).toBeNull();

    const email = uniqueEmail('Ada');
    const user = await chat.auth.register({ email, password: PASSWORD });
    expect(user.email).toBe(email.toLowerCase());
    expect(chat.auth.user).toEqual(user);
    expect(chat.auth.isAuthenticated).toBe(true);
    expect(await chat.auth.me()).toEqual(user);

    const bots = await chat.bots.list();
    expect(bots.map((bot) => bot.name)).toEqual(['Support', 'Tutor', 'Fun']);
    expect(bots.every((bot) => bot.isSystem && !bot.editable)).toBe(true);
    const tutor = bots[1]!;

    const session = await chat.sessions.create({ botId: tutor.id });
    expect(session.botId).toBe(tutor.id);

    const reply = chat.messages.send({ sessionId: session.id, text: 'Why is the sky blue?' });
    expect(reply.clientMessageId).toMatch(/^[0-9a-f-]{36}$/);
    const events: SessionEvent[] = [];
    for await (const event of reply) events.push(event);
    const final = await reply.done;

    const [userAdded, botAdded] = events;
    expect(userAdded).toMatchObject({ type: 'added', message: { role: 'USER', text: 'Why is the sky blue?', clientMessageId: reply.clientMessageId } });
    expect(botAdded).toMatchObject({ type: 'added', message: { role: 'BOT', status: 'STREAMING' } });
    const botId = (botAdded as Extract<SessionEvent, { type: 'added' }>).message.id;
    const deltas = events.filter((event) => event.type === 'delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((event) => event.seq)).toEqual(deltas.map((_, index) => index + 1));
    expect(events.at(-1)).toEqual({ type: 'completed', message: final });
    expect(events.filter((event) => event.type === 'added')).toHaveLength(2);

    expect(final).toMatchObject({ id: botId, role: 'BOT', status: 'COMPLETE', sessionId: session.id });
    expect(final.text).toContain('Why is the sky blue?');
    expect(textOfDeltas(events, botId)).toBe(final.text);
    expect(final.seq).toBe(deltas.length);
    expect(final.latencyMs).toBeGreaterThanOrEqual(0);

    const history = await chat.messages.history({ sessionId: session.id });
    expect(history.items.map((message) => [message.role, message.status])).toEqual([
      ['USER', 'COMPLETE'],
      ['BOT', 'COMPLETE'],
    ]);
    // History carries the turn's variants and the viewer's rating beside the message itself.
    expect(history.items[1]).toEqual({ ...final, variants: [final.id], feedback: null });

    const [listed] = (await chat.sessions.list({ botId: tutor.id })).items;
    expect(listed!.id).toBe(session.id);
    expect(listed!.title).toContain('sky'); // titled from the first exchange

    await chat.auth.logout();
    expect(chat.auth.user).toBeNull();
    expect(await chat.auth.me()).toBeNull();
    expect(changes.map((change) => [change.reason, change.user?.email ?? null])).toEqual([
      ['register', email.toLowerCase()],
      ['logout', null],
    ]);

    const again = await chat.auth.login({ email: email.toUpperCase(), password: PASSWORD });
    expect(again.id).toBe(user.id);
    expect((await chat.sessions.get(session.id)).id).toBe(session.id);
  });

  test('exposes the package version', () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('bots', () => {
  test('a user creates, reads, updates and deletes a bot of their own', async () => {
    const chat = await signedInClient(server);
    const bot = await chat.bots.create({ name: 'Pirate', systemPrompt: 'Talk like a pirate.', temperature: 1.2, settings: { emoji: true } });
    expect(bot).toMatchObject({ name: 'Pirate', isSystem: false, editable: true, temperature: 1.2, settings: { emoji: true } });
    expect(await chat.bots.get(bot.id)).toEqual(bot);
    expect((await chat.bots.list()).map((b) => b.name)).toEqual(['Support', 'Tutor', 'Fun', 'Pirate']);

    const updated = await chat.bots.update(bot.id, { description: 'Arr.' });
    expect(updated).toMatchObject({ name: 'Pirate', description: 'Arr.' });

    expect(await chat.bots.delete(bot.id)).toBe(bot.id);
    await expect(chat.bots.get(bot.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  test("a user cannot see another user's bot", async () => {
    const owner = await signedInClient(server);
    const other = await signedInClient(server);
    const bot = await owner.bots.create({ name: 'Private', systemPrompt: 'Secret.' });
    await expect(other.bots.get(bot.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await other.bots.list()).map((b) => b.name)).not.toContain('Private');
  });
});

describe('sessions', () => {
  test('pages through sessions, newest activity first, and renames and deletes them', async () => {
    const chat = await signedInClient(server);
    const [support] = await chat.bots.list();
    const created = [];
    for (let index = 0; index < 5; index++) created.push(await chat.sessions.create({ botId: support!.id, title: `Chat ${index}` }));

    const first = await chat.sessions.list({ first: 2 });
    expect(first.items.map((session) => session.title)).toEqual(['Chat 4', 'Chat 3']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await chat.sessions.list({ first: 2, after: first.pageInfo.endCursor! });
    const third = await chat.sessions.list({ first: 2, after: second.pageInfo.endCursor! });
    expect([...second.items, ...third.items].map((session) => session.title)).toEqual(['Chat 2', 'Chat 1', 'Chat 0']);
    expect(third.pageInfo.hasNextPage).toBe(false);

    const renamed = await chat.sessions.rename(created[0]!.id, 'Renamed');
    expect(renamed.title).toBe('Renamed');
    expect((await chat.sessions.get(created[0]!.id)).title).toBe('Renamed');

    expect(await chat.sessions.delete(created[0]!.id)).toBe(created[0]!.id);
    await expect(chat.sessions.get(created[0]!.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  test('creating twice with one clientId returns the same session', async () => {
    const chat = await signedInClient(server);
    const [support] = await chat.bots.list();
    const clientId = crypto.randomUUID();
    const a = await chat.sessions.create({ botId: support!.id, clientId });
    const b = await chat.sessions.create({ botId: support!.id, clientId });
    expect(b.id).toBe(a.id);
    expect(a.clientId).toBe(clientId);
  });
});

describe('messages', () => {
  async function chatWithSession(): Promise<{ chat: ChatClient; sessionId: string }> {
    const chat = await signedInClient(server);
    const [support] = await chat.bots.list();
    const session = await chat.sessions.create({ botId: support!.id });
    return { chat, sessionId: session.id };
  }

  test('history pages go back in time, each page oldest first', async () => {
    const { chat, sessionId } = await chatWithSession();
    for (const text of ['one', 'two', 'three']) await chat.messages.send({ sessionId, text }).done;

    const newest = await chat.messages.history({ sessionId, last: 4 });
    expect(newest.items.map((message) => message.role + ':' + (message.role === 'USER' ? message.text : '…'))).toEqual([
      'USER:two',
      'BOT:…',
      'USER:three',
      'BOT:…',
    ]);
    expect(newest.pageInfo.hasPreviousPage).toBe(true);
    const older = await chat.messages.history({ sessionId, last: 4, before: newest.pageInfo.startCursor! });
    expect(older.items.map((message) => message.text.slice(0, 20))).toEqual(['one', expect.stringContaining('(offline mode)')]);
    expect(older.pageInfo.hasPreviousPage).toBe(false);
  });

  test('sending again with the same clientMessageId does not duplicate the message', async () => {
    const { chat, sessionId } = await chatWithSession();
    const first = chat.messages.send({ sessionId, text: 'Only once', clientMessageId: 'retry-key-1' });
    const message = await first.done;
    const second = chat.messages.send({ sessionId, text: 'Only once', clientMessageId: 'retry-key-1' });
    const events: SessionEvent[] = [];
    for await (const event of second) events.push(event);
    expect(await second.done).toEqual(message);
    expect(events.map((event) => event.type)).toEqual(['added', 'added', 'completed']);
    expect((await chat.messages.history({ sessionId })).items).toHaveLength(2);
  });

  test('a reply can be awaited without iterating it', async () => {
    const { chat, sessionId } = await chatWithSession();
    const message = await chat.messages.send({ sessionId, text: 'Just the answer' }).done;
    expect(message.status).toBe('COMPLETE');
  });

  test('another client watching the session sees the exchange as it happens', async () => {
    const { chat, sessionId } = await chatWithSession();
    const watcher = clientOf(server, { storage: undefined });
    const email = chat.auth.user!.email!;
    await watcher.auth.login({ email, password: PASSWORD });

    const controller = new AbortController();
    const seen: SessionEvent[] = [];
    const watching = (async () => {
      for await (const event of watcher.messages.subscribe(sessionId, { signal: controller.signal })) {
        seen.push(event);
        if (event.type === 'completed') controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the watcher connect
    const final = await chat.messages.send({ sessionId, text: 'Hello, watcher' }).done;
    await watching; // the loop ends quietly once aborted

    expect(seen.filter((event) => event.type === 'added').map((event) => (event as { message: Message }).message.role)).toEqual(['USER', 'BOT']);
    expect(textOfDeltas(seen, final.id)).toBe(final.text);
    expect(seen.at(-1)).toEqual({ type: 'completed', message: final });
  });

  test('breaking out of a subscription loop closes it', async () => {
    const { chat, sessionId } = await chatWithSession();
    const iterator = chat.messages.subscribe(sessionId)[Symbol.asyncIterator]();
    const next = iterator.next();
    await iterator.return!();
    expect(await next).toEqual({ done: true, value: undefined });
  });
});

describe('memories', () => {
  test('a user sees what a bot remembered and can make it forget', async () => {
    const chat = await signedInClient(server);
    const [support, tutor] = await chat.bots.list();
    const session = await chat.sessions.create({ botId: tutor!.id });
    await chat.messages.send({ sessionId: session.id, text: 'My name is Ada. I live in London.' }).done;

    let memories = await chat.memories.list();
    for (let tries = 0; memories.length < 2 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // extracted after the reply
      memories = await chat.memories.list();
    }
    expect(memories.map(({ key, value, botId }) => ({ key, value, botId })).sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'location', value: 'London', botId: tutor!.id },
      { key: 'name', value: 'Ada', botId: tutor!.id },
    ]);
    expect(await chat.memories.list({ botId: support!.id })).toEqual([]);

    const name = memories.find((memory) => memory.key === 'name')!;
    expect(await chat.memories.delete(name.id)).toBe(name.id);
    expect((await chat.memories.list({ botId: tutor!.id })).map((memory) => memory.key)).toEqual(['location']);
  });
});
