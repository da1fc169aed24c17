// What an admin does from the console, through the API: users disabled (their tokens stop at once),
// promoted and deleted; bots disabled; and an audit entry for each sensitive operation, with who,
// from where, and never a secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { errorCode, gql, gqlOk, registerUser, uniqueEmail } from '../support/graphql-client.ts';
import { SEND, newChat } from '../support/steps.ts';

const ADMIN_EMAIL = uniqueEmail('boss');
let server: ApiServer;
let url: string;
let admin: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  server = await startApiServer({ env: { ADMIN_EMAILS: ADMIN_EMAIL, OFFLINE_CHUNK_DELAY_MS: '0' } });
  url = server.graphqlUrl;
  admin = await registerUser(url, ADMIN_EMAIL);
});
afterAll(() => server?.stop());

const AUDIT = `query($f: AuditFilter) { auditLog(filter: $f, first: 100) { action actorId actorEmail targetType targetId details ip userAgent createdAt } }`;
const auditActions = async () => (await gqlOk(url, AUDIT, {}, admin.accessToken)).auditLog as Array<Record<string, any>>;

describe('users', () => {
  it('an ADMIN_EMAILS account is an admin from registration on', async () => {
    expect((await gqlOk(url, '{ me { role } }', {}, admin.accessToken)).me.role).toBe('ADMIN');
  });

  it("a disabled user's token stops at once, sign-in is refused, and enabling lets them back in", async () => {
    const user = await registerUser(url);
    expect((await gqlOk(url, '{ me { id } }', {}, user.accessToken)).me.id).toBe(user.user.id);
    const { setUserDisabled } = await gqlOk(url, 'mutation($id: ID!) { setUserDisabled(id: $id, disabled: true) { disabled } }', { id: user.user.id }, admin.accessToken);
    expect(setUserDisabled.disabled).toBe(true);
    expect(errorCode(await gql(url, '{ me { id } }', {}, user.accessToken))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(url, 'mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }', { r: user.refreshToken }))).toBe('UNAUTHENTICATED');
    const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
    expect(errorCode(await gql(url, login, { e: user.email, p: user.password }))).toBe('FORBIDDEN');
    await gqlOk(url, 'mutation($id: ID!) { setUserDisabled(id: $id, disabled: false) { disabled } }', { id: user.user.id }, admin.accessToken);
    expect((await gqlOk(url, login, { e: user.email, p: user.password })).login.accessToken).toBeTruthy();
  });

  it('search finds a user by part of the e-mail; promotion counts from the next request; deletion removes them', async () => {
    const user = await registerUser(url, uniqueEmail('findme'));
    const { adminUsers } = await gqlOk(url, 'query($q: String) { adminUsers(query: $q) { id email role } }', { q: 'findme' }, admin.accessToken);
    expect(adminUsers.map((u: any) => u.id)).toContain(user.user.id);
    await gqlOk(url, 'mutation($id: ID!) { setUserRole(id: $id, role: ADMIN) { role } }', { id: user.user.id }, admin.accessToken);
    expect((await gqlOk(url, '{ adminUsers(first: 1) { id } }', {}, user.accessToken)).adminUsers).toHaveLength(1);
    await gqlOk(url, 'mutation($id: ID!) { deleteUser(id: $id) }', { id: user.user.id }, admin.accessToken);
    expect(errorCode(await gql(url, '{ me { id } }', {}, user.accessToken))).toBe('UNAUTHENTICATED');
  });

  it('an admin cannot disable, demote or delete themselves', async () => {
    const me = (await gqlOk(url, '{ me { id } }', {}, admin.accessToken)).me.id;
    for (const op of ['setUserDisabled(id: $id, disabled: true) { id }', 'setUserRole(id: $id, role: USER) { id }', 'deleteUser(id: $id)']) {
      expect(errorCode(await gql(url, `mutation($id: ID!) { ${op} }`, { id: me }, admin.accessToken))).toBe('FORBIDDEN');
    }
  });
});

describe('bots', () => {
  it("a disabled bot leaves users' lists and refuses messages; admins still see it", async () => {
    const { createSystemBot } = await gqlOk(url, 'mutation { createSystemBot(input: { name: "Seasonal", systemPrompt: "Be festive." }) { id isSystem } }', {}, admin.accessToken);
    expect(createSystemBot.isSystem).toBe(true);
    const chat = await newChat(url);
    const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: createSystemBot.id }, chat.token);
    await gqlOk(url, 'mutation($id: ID!) { setBotDisabled(id: $id, disabled: true) { disabled } }', { id: createSystemBot.id }, admin.accessToken);
    expect((await gqlOk(url, '{ bots { id } }', {}, chat.token)).bots.map((b: any) => b.id)).not.toContain(createSystemBot.id);
    expect(errorCode(await gql(url, SEND, { s: createSession.id, t: 'hi' }, chat.token))).toBe('FORBIDDEN');
    const { adminBots } = await gqlOk(url, '{ adminBots(system: true) { id disabled } }', {}, admin.accessToken);
    expect(adminBots.find((b: any) => b.id === createSystemBot.id).disabled).toBe(true);
    const { adminUpdateBot } = await gqlOk(url, 'mutation($id: ID!) { adminUpdateBot(id: $id, input: { name: "Wintry" }) { name } }', { id: createSystemBot.id }, admin.accessToken);
    expect(adminUpdateBot.name).toBe('Wintry');
  });
});

describe('the audit log', () => {
  it('records each listed operation with who, when and from where, and never a secret or a password', async () => {
    const user = await registerUser(url);
    const headers = { 'user-agent': 'audit-test/1.0' };
    const call = (query: string, variables: Record<string, unknown>, token?: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) }).then((r) => r.json() as Promise<any>);
    const secret = 'a-very-secret-shared-key-of-more-than-32-bytes';
    await call('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: user.email, p: user.password });
    await call('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: user.email, p: 'wrong password!' });
    const { data: bot } = await call('mutation { createBot(input: { name: "Mine", systemPrompt: "p" }) { id } }', {}, user.accessToken);
    await call('mutation($id: ID!) { updateBot(id: $id, input: { name: "Ours" }) { id } }', { id: bot.createBot.id }, user.accessToken);
    await call('mutation($id: ID!) { deleteBot(id: $id) }', { id: bot.createBot.id }, user.accessToken);
    const { data: site } = await call('mutation($s: String!) { createSite(input: { name: "Shop", identity: { mode: HS256, secret: $s, algorithms: ["HS256"] } }) { id } }', { s: secret }, admin.accessToken);
    const siteId = site.createSite.id;
    await call('mutation($id: ID!) { updateSite(id: $id, input: { welcome: "Hi" }) { id } }', { id: siteId }, admin.accessToken);
    await call('mutation($id: ID!) { rotateSiteKey(id: $id) { id } }', { id: siteId }, admin.accessToken);
    await call('mutation($id: ID!) { revokeSiteKey(id: $id) { id } }', { id: siteId }, admin.accessToken);
    await call('mutation($id: ID!) { setSiteQuota(id: $id, quota: { messagesPerDay: 10 }) { messagesPerDay } }', { id: siteId }, admin.accessToken);
    await call('mutation($id: ID!) { setUserQuota(id: $id, quota: { tokensPerDay: 999 }) { id } }', { id: user.user.id }, admin.accessToken);
    await call('mutation($id: ID!) { setUserRole(id: $id, role: ADMIN) { id } }', { id: user.user.id }, admin.accessToken);
    await call('mutation($id: ID!) { setUserDisabled(id: $id, disabled: true) { id } }', { id: user.user.id }, admin.accessToken);
    await call('mutation($id: ID!) { deleteSite(id: $id) }', { id: siteId }, admin.accessToken);
    await call('mutation($id: ID!) { deleteUser(id: $id) }', { id: user.user.id }, admin.accessToken);
    const leaver = await registerUser(url);
    await call('{ exportMyData { filename } }', {}, leaver.accessToken);
    await call('mutation($c: String!) { deleteAccount(confirmation: $c) }', { c: leaver.password }, leaver.accessToken);

    const entries = await auditActions();
    const mine = entries.filter((e) => e.userAgent === 'audit-test/1.0');
    expect(new Set(mine.map((e) => e.action))).toEqual(
      new Set(['AUTH_LOGIN', 'AUTH_LOGIN_FAILED', 'BOT_CREATED', 'BOT_UPDATED', 'BOT_DELETED', 'SITE_CREATED', 'SITE_UPDATED', 'SITE_KEY_ROTATED', 'SITE_KEY_REVOKED', 'QUOTA_CHANGED', 'USER_ROLE_CHANGED', 'USER_DISABLED', 'SITE_DELETED', 'USER_DELETED', 'ACCOUNT_EXPORTED', 'ACCOUNT_DELETED']),
    );
    for (const entry of mine) {
      expect(entry.ip).toBeTruthy();
      expect(entry.createdAt).toBeTruthy();
      expect(JSON.stringify(entry)).not.toContain(secret);
      expect(JSON.stringify(entry)).not.toContain('wrong password!');
      expect(JSON.stringify(entry)).not.toContain(user.password);
    }
    const failed = mine.find((e) => e.action === 'AUTH_LOGIN_FAILED')!;
    expect(failed).toMatchObject({ actorId: null, actorEmail: user.email.toLowerCase(), details: { code: 'UNAUTHENTICATED' } });
    expect(mine.find((e) => e.action === 'USER_ROLE_CHANGED')!.details).toEqual({ from: 'USER', to: 'ADMIN' });
    expect(mine.find((e) => e.action === 'SITE_CREATED')!.details.fields).toContain('identity');

    const filtered = (await gqlOk(url, AUDIT, { f: { action: 'SITE_KEY_ROTATED', targetId: siteId } }, admin.accessToken)).auditLog;
    expect(filtered).toHaveLength(1);
    expect(filtered[0].targetId).toBe(siteId);
  });
});
