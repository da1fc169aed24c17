// A client that speaks for a site: the site's key on every request (event streams too), its public
// settings, guests, sign-in with the host site's identity token, and a guest who keeps their chats
// by creating an account. Against a real API seeded with the demo's two sites.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AuthError, NotFoundError, type SessionEvent } from '../src';
import { type ApiServer, clientOf, PASSWORD, startApi, uniqueEmail } from './support/api';
import { operationName } from './support/fetches';

const IDENTITY_SECRET = 'a-demo-identity-secret-of-at-least-32-bytes';
let server: ApiServer;

beforeAll(async () => {
  server = await startApi({ DEMO_IDENTITY_SECRET: IDENTITY_SECRET });
});
afterAll(() => server?.stop());

/** An HS256 identity token, as the shop's server signs it (node:crypto, no JWT library). */
function identityToken(claims: Record<string, unknown>, secret = IDENTITY_SECRET): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ aud: 'pk_demo_shop', iat: now, exp: now + 300, jti: randomUUID(), ...claims })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** A fetch that records which site each operation named. */
function siteRecordingFetch() {
  const sent: Array<{ operation: string | undefined; site: string | null }> = [];
  const wrapped: typeof fetch = (input, init) => {
    sent.push({ operation: operationName(init), site: new Headers(init?.headers).get('x-mbc-site') });
    return fetch(input, init);
  };
  return { fetch: wrapped, sent };
}

describe('a client for a site', () => {
  test('reads the public settings of its site, of the default site, and refuses an unknown key', async () => {
    const guests = await clientOf(server, { site: 'pk_demo_guests' }).site.config();
    expect(guests).toMatchObject({ allowGuests: true, allowAccounts: true, hostSignIn: false, disclosure: expect.stringMatching(/AI/) });
    expect(guests.bots.map((bot) => bot.name)).toContain('Support');
    const shop = await clientOf(server, { site: 'pk_demo_shop' }).site.config();
    expect(shop).toMatchObject({ allowGuests: false, allowAccounts: false, hostSignIn: true });
    expect(await clientOf(server).site.config()).toMatchObject({ allowGuests: false, allowAccounts: true, hostSignIn: false });
    await expect(clientOf(server, { site: 'pk_nobody_has_this' }).site.config()).rejects.toBeInstanceOf(NotFoundError);
  });

  test('a guest starts with no form and chats; every request, the event stream included, names the site', async () => {
    const recorder = siteRecordingFetch();
    const chat = clientOf(server, { site: 'pk_demo_guests', fetch: recorder.fetch });
    const reasons: string[] = [];
    chat.auth.onChange((change) => reasons.push(change.reason));
    const guest = await chat.auth.startGuest();
    expect(guest).toMatchObject({ role: 'GUEST', email: null, name: null });
    expect(reasons).toEqual(['guest']);

    const [bot] = (await chat.site.config()).bots;
    const session = await chat.sessions.create({ botId: bot!.id });
    const events: SessionEvent['type'][] = [];
    for await (const event of chat.messages.send({ sessionId: session.id, text: 'Hello from a guest' })) events.push(event.type);
    expect(events).toContain('completed');
    expect(recorder.sent.map((r) => r.operation)).toEqual(expect.arrayContaining(['StartGuest', 'SendMessage', 'ViewerEvents']));
    expect(recorder.sent.every((r) => r.site === 'pk_demo_guests')).toBe(true);
  });

  test('guests are refused where the site does not allow them', async () => {
    const error = await clientOf(server, { site: 'pk_demo_shop' }).auth.startGuest().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('FORBIDDEN');
  });

  test("signs in the host site's user with an identity token, by name, and refuses a forged one", async () => {
    const chat = clientOf(server, { site: 'pk_demo_shop' });
    const reasons: string[] = [];
    chat.auth.onChange((change) => reasons.push(change.reason));
    const user = await chat.auth.signInWithIdentity(identityToken({ sub: 'shop-ana', name: 'Ana' }));
    expect(user).toMatchObject({ name: 'Ana', email: null, role: 'USER' });
    expect(reasons).toEqual(['identity']);
    expect((await chat.auth.me())?.name).toBe('Ana');

    const forged = await clientOf(server, { site: 'pk_demo_shop' })
      .auth.signInWithIdentity(identityToken({ sub: 'shop-ana' }, 'not-the-shop-secret-but-just-as-long-as-it'))
      .catch((e: unknown) => e);
    expect(forged).toBeInstanceOf(AuthError);
    expect(forged).toMatchObject({ code: 'UNAUTHENTICATED', cause: { extensions: { reason: 'bad-signature' } } });
  });

  test('a guest who creates an account keeps their chats; the guest sign-in ends', async () => {
    const chat = clientOf(server, { site: 'pk_demo_guests' });
    await chat.auth.startGuest();
    const [bot] = (await chat.site.config()).bots;
    const session = await chat.sessions.create({ botId: bot!.id, title: 'Order 1234' });

    const account = await chat.auth.register({ email: uniqueEmail('guest'), password: PASSWORD });
    expect(account.role).toBe('USER');
    const { items } = await chat.sessions.list();
    expect(items.map((s) => s.id)).toEqual([session.id]);
  });
});
