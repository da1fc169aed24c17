// Taking one's data out (a chat as Markdown or JSON; everything as one JSON file) and deleting
// one's account: everything goes, every token stops at once, and a confirmation is required.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { runSql } from '../support/databases.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { errorCode, gql, gqlOk } from '../support/graphql-client.ts';
import { fakeLlmEnv, newChat } from '../support/steps.ts';
import { adminOf, createSite, fromSite, START_GUEST } from '../sites/helpers.ts';

let fake: FakeLlmServer;
let server: ApiServer;
let url: string;

beforeAll(async () => {
  fake = await startFakeLlmServer();
  fake.script({ reply: 'A **plain** answer.' });
  server = await startApiServer({ env: fakeLlmEnv(fake) });
  url = server.graphqlUrl;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

const SEND = 'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t, wait: true) { botMessage { id } } }';
const EXPORT = 'query($id: ID!, $f: ExportFormat!) { exportSession(id: $id, format: $f) { filename mimeType content } }';
const DELETE = 'mutation($c: String!) { deleteAccount(confirmation: $c) }';

describe('exporting a chat', () => {
  it('gives Markdown with who said what, and JSON with every message', async () => {
    const chat = await newChat(url);
    await gqlOk(url, 'mutation($id: ID!) { renameSession(id: $id, title: "Trip: Lisbon / Porto?") { id } }', { id: chat.sessionId }, chat.token);
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'Where should I eat?' }, chat.token);

    const md = (await gqlOk(url, EXPORT, { id: chat.sessionId, f: 'MARKDOWN' }, chat.token)).exportSession;
    expect(md).toMatchObject({ filename: 'trip-lisbon-porto.md', mimeType: 'text/markdown' });
    expect(md.content).toMatch(/^# Trip: Lisbon \/ Porto\?\n\nChat with Support, started /);
    expect(md.content).toMatch(/\*\*You\*\* · \S+\n\nWhere should I eat\?\n\n\*\*Support\*\* · \S+\n\nA \*\*plain\*\* answer\.\n$/);

    const json = (await gqlOk(url, EXPORT, { id: chat.sessionId, f: 'JSON' }, chat.token)).exportSession;
    expect(json).toMatchObject({ filename: 'trip-lisbon-porto.json', mimeType: 'application/json' });
    const parsed = JSON.parse(json.content);
    expect(parsed).toMatchObject({ title: 'Trip: Lisbon / Porto?', bot: 'Support' });
    expect(parsed.messages.map((m: any) => [m.role, m.text])).toEqual([['USER', 'Where should I eat?'], ['BOT', 'A **plain** answer.']]);
  });

  it("of another user is NOT_FOUND, and an unknown format is refused", async () => {
    const alice = await newChat(url);
    const bob = await newChat(url);
    expect(errorCode(await gql(url, EXPORT, { id: alice.sessionId, f: 'JSON' }, bob.token))).toBe('NOT_FOUND');
    expect(errorCode(await gql(url, EXPORT, { id: alice.sessionId, f: 'HTML' }, alice.token))).toBe('BAD_USER_INPUT');
  });
});

describe('exporting all my data', () => {
  it('gives one JSON file of account, bots, chats, memories and shares, without secrets', async () => {
    const chat = await newChat(url);
    await gqlOk(url, 'mutation { createBot(input: { name: "Mine", systemPrompt: "be brief" }) { id } }', {}, chat.token);
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'Remember that I take the train.' }, chat.token);
    await gqlOk(url, 'mutation($id: ID!) { shareSession(id: $id) { url } }', { id: chat.sessionId }, chat.token);
    const file = (await gqlOk(url, '{ exportMyData { filename mimeType content } }', {}, chat.token)).exportMyData;
    expect(file).toMatchObject({ filename: 'my-data.json', mimeType: 'application/json' });
    const data = JSON.parse(file.content);
    expect(data.user.email).toBe(chat.email);
    expect(data.bots.map((b: any) => b.name)).toEqual(['Mine']);
    expect(data.sessions[0].messages.map((m: any) => m.text)).toEqual(['Remember that I take the train.', 'A **plain** answer.']);
    expect(data.memories.map((m: any) => m.value)).toContain('I take the train');
    expect(data.shares).toHaveLength(1);
    expect(file.content).not.toMatch(/passwordHash|tokenHash|\$2[aby]\$/);
    expect(file.content).not.toContain('/share/'); // the link is a secret too
  });
});

describe('deleting my account', () => {
  it('needs the password, then removes everything and ends every token at once', async () => {
    const chat = await newChat(url);
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'Remember that I like tea.' }, chat.token);
    const link = (await gqlOk(url, 'mutation($id: ID!) { shareSession(id: $id) { url } }', { id: chat.sessionId }, chat.token)).shareSession.url;

    const wrong = await gql(url, DELETE, { c: 'not my password' }, chat.token);
    expect(wrong.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'confirmation' });
    expect((await gqlOk(url, '{ me { id } }', {}, chat.token)).me.id).toBeTruthy();

    expect((await gqlOk(url, DELETE, { c: 'correct horse battery' }, chat.token)).deleteAccount).toBe(true);
    expect(errorCode(await gql(url, '{ me { id } }', {}, chat.token))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(url, 'mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }', { r: chat.refreshToken }))).toBe('UNAUTHENTICATED');
    expect((await fetch(link)).status).toBe(404);
    const left = await runSql(server.databaseUrl, `SELECT
      (SELECT COUNT(*) FROM "User" WHERE "id" = $1) + (SELECT COUNT(*) FROM "ChatSession" WHERE "userId" = $2) +
      (SELECT COUNT(*) FROM "UserMemory" WHERE "userId" = $3) + (SELECT COUNT(*) FROM "RefreshToken" WHERE "userId" = $4) +
      (SELECT COUNT(*) FROM "ChatShare" WHERE "userId" = $5) AS "n"`, Array(5).fill(chat.user.id));
    expect(Number(left[0].n)).toBe(0);
    // The e-mail is free again.
    expect(errorCode(await gql(url, 'mutation($e: String!) { register(email: $e, password: "correct horse battery") { accessToken } }', { e: chat.email }))).toBeUndefined();
  });

  it('of a guest, who has no password, is confirmed with the phrase', async () => {
    const admin = await adminOf(server);
    const site = { key: (await createSite(server, admin.accessToken, { name: 'Guests welcome', allowGuests: true })).publicKey };
    const guest = (await fromSite(server, site, START_GUEST)).data.startGuest;
    const refused = await fromSite(server, site, DELETE, { c: 'yes' }, guest.accessToken);
    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'confirmation' });
    expect(refused.errors![0].message).toContain('delete my account');
    expect((await fromSite(server, site, DELETE, { c: ' Delete my account ' }, guest.accessToken)).data.deleteAccount).toBe(true);
    expect(errorCode(await fromSite(server, site, '{ me { id } }', {}, guest.accessToken))).toBe('UNAUTHENTICATED');
  });

  it('needs a viewer', async () => {
    expect(errorCode(await gql(url, DELETE, { c: 'x' }))).toBe('UNAUTHENTICATED');
  });
});
