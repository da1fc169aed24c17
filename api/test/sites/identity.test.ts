// Sign-in from the host site: its server signs a short-lived identity token, the widget exchanges it
// for our tokens. Every refusal is UNAUTHENTICATED with a stable reason; keys come from a shared
// secret, a PEM public key or a JWKS URL (a real HTTP server here, rotated mid-run). On SQLite and
// PostgreSQL (TEST_DATABASE=postgresql).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { errorCode, gql, gqlOk } from '../support/graphql-client.ts';
import { adminOf, createSite, fromSite, SIGN_IN_WITH_IDENTITY } from './helpers.ts';

const SECRET = 'the-shops-secret-of-at-least-32-bytes!';
const now = () => Math.floor(Date.now() / 1000);

let server: ApiServer;
let adminToken: string;
let shop: { key: string };
let otherShop: { key: string };

/** A JWKS endpoint as a site would host it; `keys` can be swapped to rotate. */
interface JwksHost {
  url: string;
  keys: JWK[];
  fetches: number;
  server: Server;
}
let jwks: JwksHost;
let jwksSite: { key: string };
let firstKey: CryptoKey;
/** When the API last fetched the key set: jose waits 30 s between fetches (its cooldown). */
let jwksFetchedAt = 0;

async function startJwksHost(): Promise<JwksHost> {
  const host = { url: '', keys: [] as JWK[], fetches: 0, server: createServer() };
  host.server.on('request', (_request, response) => {
    host.fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: host.keys }));
  });
  await new Promise<void>((resolve) => host.server.listen(0, '127.0.0.1', resolve));
  host.url = `http://127.0.0.1:${(host.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return host;
}

interface Claims {
  sub?: string;
  name?: string;
  email?: string;
  aud?: string;
  jti?: string;
  iat?: number;
  exp?: number;
}

/** An identity token as a site's server makes it: HS256 with the shared secret unless told otherwise. */
async function identityToken(
  claims: Claims = {},
  { key = new TextEncoder().encode(SECRET) as CryptoKey | Uint8Array, alg = 'HS256', kid }: { key?: CryptoKey | Uint8Array; alg?: string; kid?: string } = {},
) {
  const { iat = now(), exp = iat + 300, aud = shop.key, jti = randomUUID(), sub = 'customer-7', ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setSubject(sub)
    .setAudience(aud)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
}

async function signIn(site: { key: string }, token: string) {
  return fromSite(server, site, SIGN_IN_WITH_IDENTITY, { t: token });
}

async function refusal(site: { key: string }, token: string) {
  const result = await signIn(site, token);
  return { code: errorCode(result), reason: result.errors?.[0]?.extensions?.reason as string | undefined };
}

beforeAll(async () => {
  // Every sign-in here comes from one address: lift the per-address limit the suite is not about.
  [server, jwks] = await Promise.all([startApiServer({ env: { RATE_LIMIT_AUTH_PER_IP: '1000' } }), startJwksHost()]);
  adminToken = (await adminOf(server)).accessToken;
  const hs256 = { mode: 'HS256', secret: SECRET };
  shop = { key: (await createSite(server, adminToken, { name: 'Shop', identity: { ...hs256, maxTokenAgeSeconds: 60 } })).publicKey };
  otherShop = { key: (await createSite(server, adminToken, { name: 'Other shop', identity: hs256 })).publicKey };

  // The JWKS site signs in once now, so that jose's cooldown has passed when the rotation test runs.
  const first = await generateKeyPair('ES256', { extractable: true });
  firstKey = first.privateKey;
  jwks.keys = [{ ...(await exportJWK(first.publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' }];
  jwksSite = { key: (await createSite(server, adminToken, { name: 'JWKS shop', identity: { mode: 'JWKS', jwksUrl: jwks.url, algorithms: ['ES256'] } })).publicKey };
  const signedIn = await signIn(jwksSite, await identityToken({ aud: jwksSite.key }, { key: firstKey, alg: 'ES256', kid: 'key-1' }));
  jwksFetchedAt = Date.now();
  expect(signedIn.errors).toBeUndefined();
});
afterAll(async () => {
  await server?.stop();
  jwks?.server.close();
});

describe('an identity token from the host site', () => {
  it("signs the site's user in with the name it carries; the same sub is the same user next time", async () => {
    const sub = `ana-${randomUUID()}`;
    const first = await signIn(shop, await identityToken({ sub, name: 'Ana', email: 'ana@shop.example' }));
    expect(first.data.signInWithIdentity.user).toMatchObject({ role: 'USER', name: 'Ana', email: null });
    const { me } = await gqlOk(server.graphqlUrl, '{ me { id name } }', {}, first.data.signInWithIdentity.accessToken);
    expect(me).toEqual({ id: first.data.signInWithIdentity.user.id, name: 'Ana' });

    const again = await signIn(shop, await identityToken({ sub, name: 'Ana María' }));
    expect(again.data.signInWithIdentity.user).toMatchObject({ id: first.data.signInWithIdentity.user.id, name: 'Ana María' });
  });

  it('is refused with UNAUTHENTICATED and a reason when it is forged, expired, too old, for another site, replayed or badly made', async () => {
    const otherSecret = new TextEncoder().encode('somebody-elses-secret-of-32-bytes-or-more');
    const { privateKey: rsaKey } = await generateKeyPair('RS256');
    const unsigned = (claims: object) =>
      `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    const cases: Array<[string, string | Promise<string>, string]> = [
      ['forged (another secret)', identityToken({}, { key: otherSecret }), 'bad-signature'],
      ['expired', identityToken({ iat: now() - 400, exp: now() - 100 }), 'expired'],
      ['too old for the site (iat 5 minutes ago, max age 60 s)', identityToken({ iat: now() - 300, exp: now() + 120 }), 'too-old'],
      ['living longer than 10 minutes', identityToken({ exp: now() + 3600 }), 'too-long-lived'],
      ['for another site', identityToken({ aud: otherShop.key }), 'wrong-site'],
      ['signed with none', unsigned({ sub: 'customer-7', aud: shop.key, iat: now(), exp: now() + 60, jti: randomUUID() }), 'algorithm-not-allowed'],
      ['signed with an algorithm the site does not allow (RS256)', identityToken({}, { key: rsaKey, alg: 'RS256' }), 'algorithm-not-allowed'],
      ['signed with HS512 and the right secret', identityToken({}, { key: new TextEncoder().encode(SECRET.repeat(2)), alg: 'HS512' }), 'algorithm-not-allowed'],
      ['not a JWT at all', 'not-a-token', 'malformed'],
      ['with no jti', new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setAudience(shop.key).setIssuedAt().setExpirationTime('2m').sign(new TextEncoder().encode(SECRET)), 'missing-claim'],
    ];
    for (const [what, token, reason] of cases) {
      expect(await refusal(shop, await token), what).toEqual({ code: 'UNAUTHENTICATED', reason });
    }
  });

  it('works once: the same jti a second time is refused as replayed, also when both arrive at once', async () => {
    const token = await identityToken();
    expect((await signIn(shop, token)).errors).toBeUndefined();
    expect(await refusal(shop, token)).toEqual({ code: 'UNAUTHENTICATED', reason: 'replayed' });

    const twice = await identityToken();
    const results = await Promise.all(Array.from({ length: 6 }, () => signIn(shop, twice)));
    const accepted = results.filter((r) => !r.errors);
    expect(accepted).toHaveLength(1);
    for (const refused of results.filter((r) => r.errors)) expect(refused.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'replayed' });
  });

  it('cannot be used on a site that does not sign its users in, nor on the default site', async () => {
    const plain = { key: (await createSite(server, adminToken, { name: 'No host sign-in', allowGuests: true })).publicKey };
    expect(await refusal(plain, await identityToken({ aud: plain.key }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'not-enabled' });
    const onDefault = await gql(server.graphqlUrl, SIGN_IN_WITH_IDENTITY, { t: await identityToken() });
    expect(onDefault.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'not-enabled' });
  });

  it('cannot be made with a secret shorter than 32 bytes: such a site cannot be configured', async () => {
    const result = await gql(
      server.graphqlUrl,
      'mutation($input: SiteInput!) { createSite(input: $input) { id } }',
      { input: { name: 'Weak', identity: { mode: 'HS256', secret: 'x'.repeat(31) } } },
      adminToken,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('identity.secret');
    // Nor can a site with a good secret be switched to a short one.
    const { createSite: site } = await gqlOk(server.graphqlUrl, 'mutation { createSite(input: { name: "Strong" }) { id } }', {}, adminToken);
    const update = await gql(
      server.graphqlUrl,
      'mutation($id: ID!, $input: SiteInput!) { updateSite(id: $id, input: $input) { id } }',
      { id: site.id, input: { identity: { mode: 'HS256', secret: 'short' } } },
      adminToken,
    );
    expect(update.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'identity.secret' });
  });
});

describe('a site with a public key (PEM)', () => {
  it("accepts tokens signed with its private key in the algorithm it allows, and nothing else", async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const pem = await exportSPKI(publicKey);
    const site = { key: (await createSite(server, adminToken, { name: 'PEM shop', identity: { mode: 'PUBLIC_KEY', publicKey: pem, algorithms: ['EdDSA'] } })).publicKey };
    const ok = await signIn(site, await identityToken({ aud: site.key, name: 'Bo' }, { key: privateKey, alg: 'EdDSA' }));
    expect(ok.data.signInWithIdentity.user.name).toBe('Bo');

    const { privateKey: strangerKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    expect(await refusal(site, await identityToken({ aud: site.key }, { key: strangerKey, alg: 'EdDSA' }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'bad-signature' });
    expect(await refusal(site, await identityToken({ aud: site.key }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'algorithm-not-allowed' });
  });
});

describe('sites are isolated', () => {
  it('a user signed in through site A reaches nothing of site B; the same sub on B is another user', async () => {
    const sub = `shared-${randomUUID()}`;
    const onA = (await signIn(shop, await identityToken({ sub, name: 'Ana' }))).data.signInWithIdentity;
    const { bots } = await gqlOk(server.graphqlUrl, '{ bots { id } }', {}, onA.accessToken);
    const { data: created } = await fromSite(server, shop, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: bots[0].id }, onA.accessToken);
    const sessionId = created.createSession.id;

    for (const query of ['{ me { id } }', '{ sessions { edges { node { id } } } }', '{ bots { id } }']) {
      expect(errorCode(await fromSite(server, otherShop, query, {}, onA.accessToken)), query).toBe('UNAUTHENTICATED');
    }
    const send = 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "hello") { userMessage { id } } }';
    expect(errorCode(await fromSite(server, otherShop, send, { s: sessionId }, onA.accessToken))).toBe('UNAUTHENTICATED');

    const onB = (await signIn(otherShop, await identityToken({ sub, name: 'Ana', aud: otherShop.key }))).data.signInWithIdentity;
    expect(onB.user.id).not.toBe(onA.user.id);
    const { data: seen } = await fromSite(server, otherShop, 'query($id: ID!) { node(id: $id) { id } }', { id: sessionId }, onB.accessToken);
    expect(seen.node).toBeNull();
  });
});

describe('a site with a JWKS URL', () => {
  it('verifies against the published keys and follows a key rotation with one more fetch', async () => {
    expect(jwks.fetches).toBe(1);
    const second = await generateKeyPair('ES256', { extractable: true });
    jwks.keys = [...jwks.keys, { ...(await exportJWK(second.publicKey)), kid: 'key-2', alg: 'ES256', use: 'sig' }];

    // Still cached: the old key works without a fetch.
    const old = await signIn(jwksSite, await identityToken({ aud: jwksSite.key }, { key: firstKey, alg: 'ES256', kid: 'key-1' }));
    expect(old.errors).toBeUndefined();
    expect(jwks.fetches).toBe(1);

    // A token naming the new kid makes the API fetch the set again (once jose's 30 s cooldown is over).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, jwksFetchedAt + 31_000 - Date.now())));
    const rotated = await signIn(jwksSite, await identityToken({ aud: jwksSite.key, name: 'Cy' }, { key: second.privateKey, alg: 'ES256', kid: 'key-2' }));
    expect(rotated.errors, JSON.stringify(rotated.errors)).toBeUndefined();
    expect(rotated.data.signInWithIdentity.user.name).toBe('Cy');
    expect(jwks.fetches).toBe(2);

    const { privateKey: unknownKey } = await generateKeyPair('ES256');
    expect(await refusal(jwksSite, await identityToken({ aud: jwksSite.key }, { key: unknownKey, alg: 'ES256', kid: 'key-2' }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'bad-signature' });
  }, 60_000);
});
