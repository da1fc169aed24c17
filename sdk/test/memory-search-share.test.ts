// Memory control, search, export, share links and account deletion through the SDK, against a real API.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountApi, type AuthChange, AuthError, exportsApi, memoryEditor, NotFoundError, searchApi, sharesApi, ValidationError } from '../src';
import { type ApiServer, clientOf, PASSWORD, signedInClient, startApi, uniqueEmail } from './support/api';

let server: ApiServer;

beforeAll(async () => {
  server = await startApi();
});
afterAll(() => server?.stop());

describe('conversation tools', () => {
  test('memories: add, remember a message, edit, forget all; bad input is a ValidationError with its field', async () => {
    const chat = await signedInClient(server);
    const [support] = await chat.bots.list();
    const session = await chat.sessions.create({ botId: support!.id });
    const fact = await memoryEditor(chat).add({ botId: support!.id, text: 'I have two cats' });
    expect(fact).toMatchObject({ botId: support!.id, value: 'I have two cats' });
    const reply = await chat.messages.send({ sessionId: session.id, text: 'My locker is number 12' }).done;
    expect((await memoryEditor(chat).rememberMessage(reply.parentId!)).value).toBe('My locker is number 12');
    expect((await memoryEditor(chat).update(fact.id, 'I have three cats')).value).toBe('I have three cats');
    const error = await memoryEditor(chat).add({ botId: support!.id, text: ' ' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('text');
    expect(await memoryEditor(chat).forgetAll()).toBe(2);
    expect(await chat.memories.list()).toEqual([]);
  });

  test('search finds my messages with their chat and a plain-text snippet', async () => {
    const chat = await signedInClient(server);
    const [support] = await chat.bots.list();
    const session = await chat.sessions.create({ botId: support!.id });
    await chat.messages.send({ sessionId: session.id, text: 'Where is the nearest platypus?' }).done;
    const page = await searchApi(chat).messages('"platypus" OR xyzzy');
    expect(page.items).toEqual([]); // every word must be there: quotes and OR are no syntax
    const found = await searchApi(chat).messages('platypus', { first: 5 });
    // The question, and the offline model's reply that quotes it.
    expect(found.items.map((item) => item.message.role).sort()).toEqual(['BOT', 'USER']);
    const hit = found.items.find((item) => item.message.role === 'USER');
    expect(hit!.session.id).toBe(session.id);
    const { text, highlights } = hit!.snippet;
    expect(highlights.map(({ start, length }) => text.slice(start, start + length))).toEqual(['platypus']);
    expect(found.pageInfo.hasNextPage).toBe(false);
  });

  test('export a chat as Markdown or JSON, and all my data', async () => {
    const chat = await signedInClient(server);
    const [support] = await chat.bots.list();
    const session = await chat.sessions.create({ botId: support!.id, title: 'Hello' });
    await chat.messages.send({ sessionId: session.id, text: 'Hi there' }).done;
    const md = await exportsApi(chat).session(session.id, 'MARKDOWN');
    expect(md).toMatchObject({ filename: 'hello.md', mimeType: 'text/markdown' });
    expect(md.content).toContain('Hi there');
    expect(JSON.parse((await exportsApi(chat).session(session.id, 'JSON')).content).messages[0].text).toBe('Hi there');
    expect(JSON.parse((await exportsApi(chat).everything()).content).sessions).toHaveLength(1);
  });

  test('share a chat, read the link without signing in, revoke it', async () => {
    const chat = await signedInClient(server);
    const [support] = await chat.bots.list();
    const session = await chat.sessions.create({ botId: support!.id });
    expect(await sharesApi(chat).get(session.id)).toBeNull();
    const share = await sharesApi(chat).create(session.id);
    expect((await fetch(share.url)).status).toBe(200);
    expect(await sharesApi(chat).get(session.id)).toEqual(share);
    expect(await sharesApi(chat).revoke(session.id)).toBe(true);
    expect((await fetch(share.url)).status).toBe(404);
    await expect(sharesApi(chat).get('Q2hhdFNlc3Npb246bm9uZQ==')).rejects.toBeInstanceOf(NotFoundError);
  });

  test('delete my account: the password confirms, then I am signed out and the account is gone', async () => {
    const chat = clientOf(server);
    const email = uniqueEmail();
    await chat.auth.register({ email, password: PASSWORD });
    const changes: AuthChange[] = [];
    chat.auth.onChange((change) => changes.push(change));
    const wrong = await accountApi(chat).delete('guess').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ValidationError);
    expect((wrong as ValidationError).field).toBe('confirmation');
    await accountApi(chat).delete(PASSWORD);
    expect(changes.at(-1)).toEqual({ user: null, reason: 'deleted' });
    expect(chat.auth.isAuthenticated).toBe(false);
    await expect(chat.auth.login({ email, password: PASSWORD })).rejects.toBeInstanceOf(AuthError);
  });
});
