// Regenerate, edit and branches, delete, fork, feedback, starters and the model per chat through the
// SDK, against a real API server (offline model: each reply quotes the question it answers).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AuthError, type ChatClient, type SessionEvent, ValidationError } from '../src';
import { type ApiServer, signedInClient, startApi } from './support/api';

let server: ApiServer;

beforeAll(async () => {
  server = await startApi();
});
afterAll(() => server?.stop());

async function chatWithSupport(chat: ChatClient) {
  const [support] = await chat.bots.list();
  return chat.sessions.create({ botId: support!.id });
}
const ask = async (chat: ChatClient, sessionId: string, text: string) => {
  const reply = chat.messages.send({ sessionId, text });
  return reply.done;
};
const textsOf = async (chat: ChatClient, sessionId: string) => (await chat.messages.history({ sessionId })).items.map((m) => m.text);

describe('conversation tools', () => {
  test('regenerate: the old reply stays a variant, history shows the new one, and selectVariant browses back', async () => {
    const chat = await signedInClient(server);
    const session = await chatWithSupport(chat);
    const first = await ask(chat, session.id, 'first question');
    await ask(chat, session.id, 'second question');

    const regenerated = await chat.messages.regenerate(first.id);
    expect(regenerated).toMatchObject({ status: 'STREAMING', parentId: first.parentId, variants: [first.id, regenerated.id] });
    const done = await chat.messages.follow(regenerated.id).done;
    expect(done.text).toContain('first question');

    const page = await chat.messages.history({ sessionId: session.id });
    expect(page.items.map((m) => m.id)).toEqual([first.parentId, regenerated.id]);
    expect(page.items[1]!.variants).toEqual([first.id, regenerated.id]);

    const back = await chat.messages.selectVariant(first.id);
    expect(back.id).toBe(first.id);
    expect((await textsOf(chat, session.id))[2]).toBe('second question');
  });

  test('edit: a new question and reply on a new branch; subscribers hear pathChanged', async () => {
    const chat = await signedInClient(server);
    const session = await chatWithSupport(chat);
    const reply = await ask(chat, session.id, 'colour of the sky?');
    const question = reply.parentId!;

    const controller = new AbortController();
    const events: SessionEvent[] = [];
    const watching = (async () => {
      for await (const event of chat.messages.subscribe(session.id, { signal: controller.signal })) {
        events.push(event);
        if (event.type === 'completed') controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300)); // the subscription is open

    const edited = await chat.messages.edit(question, 'colour of the sea?');
    expect(edited.userMessage).toMatchObject({ text: 'colour of the sea?', variants: [question, edited.userMessage.id] });
    await watching;
    expect(events[0]).toEqual({ type: 'pathChanged', sessionId: session.id, parentId: null });
    expect(events.some((e) => e.type === 'added' && e.message.id === edited.botMessage.id)).toBe(true);
    expect((await textsOf(chat, session.id))[0]).toBe('colour of the sea?');

    await expect(chat.messages.edit(question, '  ')).rejects.toMatchObject({ name: 'ValidationError', field: 'text' });
  });

  test('delete hides a message; fork copies the branch into a new chat', async () => {
    const chat = await signedInClient(server);
    const session = await chatWithSupport(chat);
    const one = await ask(chat, session.id, 'one');
    const two = await ask(chat, session.id, 'two');

    expect(await chat.messages.delete(one.parentId!)).toBe(one.parentId);
    expect((await chat.messages.history({ sessionId: session.id })).items.map((m) => m.id)).toEqual([one.id, two.parentId, two.id]);

    const fork = await chat.sessions.fork(one.id);
    expect(fork).toMatchObject({ botId: session.botId, title: (await chat.sessions.get(session.id)).title });
    expect((await chat.messages.history({ sessionId: fork.id })).items.map((m) => m.text)).toEqual([one.text]);
  });

  test('feedback: rate a reply, change the rating, read it in history; the bot owner lists it', async () => {
    const chat = await signedInClient(server);
    const bot = await chat.bots.create({ name: 'Helper', systemPrompt: 'Help.', welcome: 'Hello!', starters: ['Start here'], topP: 0.8 });
    expect(bot).toMatchObject({ welcome: 'Hello!', starters: ['Start here'], topP: 0.8 });
    const session = await chat.sessions.create({ botId: bot.id });
    const reply = await ask(chat, session.id, 'rate this');

    expect(await chat.feedback.rate(reply.id, 'DOWN', 'not helpful')).toMatchObject({ rating: 'DOWN', reason: 'not helpful' });
    await chat.feedback.rate(reply.id, 'UP');
    const page = await chat.messages.history({ sessionId: session.id });
    expect(page.items[1]!.feedback).toEqual({ rating: 'UP', reason: null });
    expect(page.items[0]!.feedback).toBeNull();

    const listed = await chat.feedback.list({ botId: bot.id });
    expect(listed.items).toEqual([expect.objectContaining({ rating: 'UP', messageId: reply.id, sessionId: session.id, messageText: reply.text })]);
    await expect(chat.feedback.rate(reply.parentId!, 'UP')).rejects.toBeInstanceOf(ValidationError);
    await expect(chat.feedback.list({ botId: session.botId === bot.id ? (await chat.bots.list())[0]!.id : bot.id })).rejects.toBeInstanceOf(AuthError);

    expect(await chat.feedback.remove(reply.id)).toBe(reply.id);
    expect((await chat.feedback.list({ botId: bot.id })).items).toEqual([]);
  });

  test("model per chat: the provider's models are listed, and a chat can pick one", async () => {
    const chat = await signedInClient(server);
    const session = await chatWithSupport(chat);
    expect(await chat.sessions.models()).toEqual(['offline']);
    expect((await chat.sessions.setModel(session.id, 'offline')).model).toBe('offline');
    expect((await ask(chat, session.id, 'hi')).model).toBe('offline');
    await expect(chat.sessions.setModel(session.id, 'nope')).rejects.toMatchObject({ name: 'ValidationError', field: 'model' });
    expect((await chat.sessions.setModel(session.id, null)).model).toBeNull();
  });
});
