// Sites: admins manage them; each has a public key that can be rotated or revoked, allowed origins,
// and the bots it shows. Sites are isolated from each other (on SQLite and PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { errorCode, gql, gqlOk, registerUser } from '../support/graphql-client.ts';
import { adminOf, createSite, fromSite, SITE_FIELDS, START_GUEST } from './helpers.ts';

let server: ApiServer;
let admin: Awaited<ReturnType<typeof adminOf>>;
let botIds: Record<string, string>;

beforeAll(async () => {
  server = await startApiServer();
  admin = await adminOf(server);
  const { bots } = await gqlOk(server.graphqlUrl, '{ bots { id name } }', {}, admin.accessToken);
  botIds = Object.fromEntries(bots.map((b: any) => [b.name, b.id]));
});
afterAll(() => server?.stop());

const ADMIN_OPERATIONS: Array<[string, string, (ids: { site: string }) => Record<string, unknown>]> = [
  ['sites', '{ sites { id } }', () => ({})],
  ['site', 'query($id: ID!) { site(id: $id) { id } }', ({ site }) => ({ id: site })],
  ['createSite', 'mutation { createSite(input: { name: "Mine" }) { id } }', () => ({})],
  ['updateSite', 'mutation($id: ID!) { updateSite(id: $id, input: { name: "Taken" }) { id } }', ({ site }) => ({ id: site })],
  ['deleteSite', 'mutation($id: ID!) { deleteSite(id: $id) }', ({ site }) => ({ id: site })],
  ['rotateSiteKey', 'mutation($id: ID!) { rotateSiteKey(id: $id) { id } }', ({ site }) => ({ id: site })],
  ['revokeSiteKey', 'mutation($id: ID!) { revokeSiteKey(id: $id) { id } }', ({ site }) => ({ id: site })],
];

describe('managing sites', () => {
  it('an admin creates a site with a public key and its settings; visitors read only the public part', async () => {
    const site = await createSite(server, admin.accessToken, {
      name: 'Tea house',
      allowedOrigins: ['https://tea.example', 'HTTPS://Tea.Example:443/menu'],
      botIds: [botIds.Support, botIds.Tutor],
      defaultBotId: botIds.Tutor,
      allowGuests: true,
      disclosure: 'You are chatting with an AI assistant.',
      welcome: 'Welcome to the tea house!',
    });
    expect(site.publicKey).toMatch(/^pk_[\w-]{20,}$/);
    expect(site.allowedOrigins).toEqual(['https://tea.example']);
    expect(site).toMatchObject({ allowGuests: true, allowAccounts: true, defaultBotId: botIds.Tutor, identity: { mode: 'NONE', hasSecret: false } });

    const { siteConfig } = await gqlOk(server.graphqlUrl, 'query($k: String) { siteConfig(key: $k) { name bots { name } defaultBotId allowGuests allowAccounts hostSignIn disclosure welcome } }', { k: site.publicKey });
    expect(siteConfig).toEqual({
      name: 'Tea house',
      bots: [{ name: 'Support' }, { name: 'Tutor' }],
      defaultBotId: botIds.Tutor,
      allowGuests: true,
      allowAccounts: true,
      hostSignIn: false,
      disclosure: 'You are chatting with an AI assistant.',
      welcome: 'Welcome to the tea house!',
    });
    const defaults = await gqlOk(server.graphqlUrl, '{ siteConfig { name allowGuests allowAccounts bots { name } } }');
    expect(defaults.siteConfig).toMatchObject({ allowGuests: false, allowAccounts: true, bots: [{ name: 'Support' }, { name: 'Tutor' }, { name: 'Fun' }] });
  });

  it('refuses settings that cannot work, with the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: '' }, 'name'],
      [{ name: 'x', allowedOrigins: ['not a url'] }, 'allowedOrigins.0'],
      [{ name: 'x', botIds: ['Qm90OnN5c3RlbS1ub3BlCg=='] }, 'botIds'],
      [{ name: 'x', botIds: [botIds.Support], defaultBotId: botIds.Fun }, 'defaultBotId'],
      [{ name: 'x', identity: { mode: 'HS256', secret: 'too short' } }, 'identity.secret'],
      [{ name: 'x', identity: { mode: 'PUBLIC_KEY', algorithms: ['RS256'], publicKey: 'nope' } }, 'identity.publicKey'],
      [{ name: 'x', identity: { mode: 'JWKS', algorithms: ['RS256'], jwksUrl: 'http://keys.example/jwks.json' } }, 'identity.jwksUrl'],
      [{ name: 'x', identity: { mode: 'HS256', algorithms: ['RS256'], secret: 'a'.repeat(40) } }, 'identity.algorithms'],
    ];
    for (const [input, field] of cases) {
      const result = await gql(server.graphqlUrl, 'mutation($input: SiteInput!) { createSite(input: $input) { id } }', { input }, admin.accessToken);
      expect(errorCode(result), JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe(field);
    }
  });

  it('every admin operation is FORBIDDEN to a user and UNAUTHENTICATED without a sign-in, and changes nothing', async () => {
    const site = await createSite(server, admin.accessToken, { name: 'Guarded' });
    const user = await registerUser(server.graphqlUrl);
    for (const [name, query, variables] of ADMIN_OPERATIONS) {
      expect(errorCode(await gql(server.graphqlUrl, query, variables({ site: site.id }), user.accessToken)), name).toBe('FORBIDDEN');
      expect(errorCode(await gql(server.graphqlUrl, query, variables({ site: site.id }))), name).toBe('UNAUTHENTICATED');
    }
    const { site: after } = await gqlOk(server.graphqlUrl, `query($id: ID!) { site(id: $id) { ${SITE_FIELDS} } }`, { id: site.id }, admin.accessToken);
    expect(after).toEqual(site);
  });

  it('a rotated key stops working at once and the new one works; a revoked key stops new sign-ins', async () => {
    const site = await createSite(server, admin.accessToken, { name: 'Rotating', allowGuests: true });
    expect(errorCode(await fromSite(server, { key: site.publicKey }, START_GUEST))).toBeUndefined();
    const { rotateSiteKey } = await gqlOk(server.graphqlUrl, 'mutation($id: ID!) { rotateSiteKey(id: $id) { publicKey } }', { id: site.id }, admin.accessToken);
    expect(rotateSiteKey.publicKey).not.toBe(site.publicKey);
    const old = await fromSite(server, { key: site.publicKey }, START_GUEST);
    expect(errorCode(old)).toBe('FORBIDDEN');
    expect(old.errors![0].message).toMatch(/revoked/);
    expect(errorCode(await fromSite(server, { key: rotateSiteKey.publicKey }, START_GUEST))).toBeUndefined();

    const { revokeSiteKey } = await gqlOk(server.graphqlUrl, 'mutation($id: ID!) { revokeSiteKey(id: $id) { publicKey } }', { id: site.id }, admin.accessToken);
    expect(revokeSiteKey.publicKey).toBeNull();
    expect(errorCode(await fromSite(server, { key: rotateSiteKey.publicKey }, START_GUEST))).toBe('FORBIDDEN');
    expect(errorCode(await fromSite(server, { key: 'pk_never_issued' }, START_GUEST))).toBe('NOT_FOUND');
  });
});

describe('site boundaries', () => {
  it("a browser on an origin the site does not list is refused; a listed one and non-browser clients are served", async () => {
    const site = await createSite(server, admin.accessToken, { name: 'Fenced', allowGuests: true, allowedOrigins: ['https://fenced.example'] });
    expect(errorCode(await fromSite(server, { key: site.publicKey, origin: 'https://evil.example' }, START_GUEST))).toBe('FORBIDDEN');
    const guest = await fromSite(server, { key: site.publicKey, origin: 'https://fenced.example' }, START_GUEST);
    expect(guest.data.startGuest.user.role).toBe('GUEST');
    const token = guest.data.startGuest.accessToken;
    expect(errorCode(await fromSite(server, { key: site.publicKey, origin: 'https://evil.example' }, '{ me { id } }', {}, token))).toBe('FORBIDDEN');
    expect(errorCode(await fromSite(server, { key: site.publicKey }, '{ me { id } }', {}, token))).toBeUndefined();
  });

  it("a guest of site A reaches nothing through site B, and each site shows only its bots", async () => {
    const a = await createSite(server, admin.accessToken, { name: 'A', allowGuests: true, botIds: [botIds.Fun] });
    const b = await createSite(server, admin.accessToken, { name: 'B', allowGuests: true, botIds: [botIds.Support] });
    const { data } = await fromSite(server, { key: a.publicKey }, START_GUEST);
    const token = data.startGuest.accessToken;
    const onA = await fromSite(server, { key: a.publicKey }, '{ bots { name } }', {}, token);
    expect(onA.data.bots).toEqual([{ name: 'Fun' }]);
    const onB = await fromSite(server, { key: b.publicKey }, '{ bots { name } }', {}, token);
    expect(errorCode(onB)).toBe('UNAUTHENTICATED');
    const refused = await fromSite(server, { key: a.publicKey }, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: botIds.Support }, token);
    expect(errorCode(refused)).toBe('FORBIDDEN');
  });

  it('a site that turns e-mail sign-in off refuses register and login', async () => {
    const site = await createSite(server, admin.accessToken, { name: 'No accounts', allowAccounts: false });
    const user = await registerUser(server.graphqlUrl);
    const login = await fromSite(server, { key: site.publicKey }, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: user.email, p: user.password });
    expect(errorCode(login)).toBe('FORBIDDEN');
    const register = await fromSite(server, { key: site.publicKey }, 'mutation { register(email: "new-one@example.com", password: "correct horse battery") { accessToken } }');
    expect(errorCode(register)).toBe('FORBIDDEN');
  });
});
