// Staying signed in against a real API whose access tokens live two seconds.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AuthChange, AuthError, memoryTokenStore, type StoredAuth, type TokenStore } from '../src';
import { type ApiServer, clientOf, PASSWORD, startApi, uniqueEmail } from './support/api';
import { recordingFetch } from './support/fetches';

let server: ApiServer;

beforeAll(async () => {
  server = await startApi({ ACCESS_TOKEN_TTL: '2s' });
});
afterAll(() => server?.stop());

/** Token expiry is checked in whole seconds: wait until a two-second token is surely expired. */
const waitForExpiry = () => new Promise((resolve) => setTimeout(resolve, 3_100));

/** A store whose every method is asynchronous, like one backed by IndexedDB or a keychain. */
function asyncStore(): TokenStore & { value(): StoredAuth | null } {
  const inner = memoryTokenStore();
  const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 1));
  return {
    get: () => later(inner.get() as StoredAuth | null),
    set: (value) => later(undefined).then(() => inner.set(value)),
    clear: () => later(undefined).then(() => inner.clear()),
    value: () => inner.get() as StoredAuth | null,
  };
}

describe('an expired access token', () => {
  test('ten parallel calls share exactly one refresh', async () => {
    const recorder = recordingFetch();
    const chat = clientOf(server, { fetch: recorder.fetch, storage: asyncStore() });
    const changes: AuthChange[] = [];
    chat.auth.onChange((change) => changes.push(change));
    await chat.auth.register({ email: uniqueEmail(), password: PASSWORD });
    await waitForExpiry();

    const [, users] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => chat.sessions.list())),
      Promise.all(Array.from({ length: 3 }, () => chat.auth.me())),
      Promise.all(Array.from({ length: 3 }, () => chat.bots.list())),
    ]);

    expect(users.map((user) => user?.id)).toEqual(Array(3).fill(chat.auth.user!.id));
    expect(recorder.count('RefreshToken')).toBe(1);
    expect(changes.map((change) => change.reason)).toEqual(['register', 'refresh']);
  });

  test('clients sharing one store (like tabs) refresh once between them, without revoking the sign-in', async () => {
    const recorder = recordingFetch();
    const store = memoryTokenStore();
    const tab1 = clientOf(server, { storage: store, fetch: recorder.fetch });
    const tab2 = clientOf(server, { storage: store, fetch: recorder.fetch });
    await tab1.auth.register({ email: uniqueEmail(), password: PASSWORD });
    await waitForExpiry();

    await Promise.all([tab1.sessions.list(), tab2.sessions.list(), tab1.bots.list(), tab2.bots.list()]);
    expect(recorder.count('RefreshToken')).toBe(1);
    // A reused refresh token would have revoked the whole sign-in; it still works:
    await tab2.auth.refresh();
    expect(await tab1.auth.me()).not.toBeNull();
  });

  test('the stream of a reply renews it and still delivers every delta', async () => {
    const recorder = recordingFetch();
    const chat = clientOf(server, { fetch: recorder.fetch });
    await chat.auth.register({ email: uniqueEmail(), password: PASSWORD });
    const [support] = await chat.bots.list();
    const session = await chat.sessions.create({ botId: support!.id });
    await waitForExpiry();

    const reply = chat.messages.send({ sessionId: session.id, text: 'Still there?' });
    let text = '';
    for await (const event of reply) if (event.type === 'delta') text += event.text;
    const final = await reply.done;
    expect(text).toBe(final.text);
    expect(recorder.count('RefreshToken')).toBe(1);
  });

  test('a rejected refresh token signs the user out and tells the listeners', async () => {
    const email = uniqueEmail();
    const device = clientOf(server);
    await device.auth.register({ email, password: PASSWORD });
    // The same sign-in copied elsewhere, then revoked by signing out:
    const copy = memoryTokenStore();
    const signedIn = clientOf(server, { storage: copy });
    await signedIn.auth.login({ email, password: PASSWORD });
    const stale = structuredClone(copy.get() as StoredAuth);
    await signedIn.auth.logout();
    copy.set(stale);

    const chat = clientOf(server, { storage: copy });
    const changes: AuthChange[] = [];
    chat.auth.onChange((change) => changes.push(change));
    await waitForExpiry();

    const error = await chat.sessions.list().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('UNAUTHENTICATED');
    expect(changes).toEqual([{ user: null, reason: 'expired' }]);
    expect(chat.auth.isAuthenticated).toBe(false);
    expect(copy.get()).toBeNull();
    expect(await chat.auth.me()).toBeNull();
    // The other device's own sign-in is untouched.
    expect(await device.auth.me()).not.toBeNull();
  });
});

describe('auth.refresh', () => {
  test('renews the tokens on demand', async () => {
    const store = memoryTokenStore();
    const chat = clientOf(server, { storage: store });
    const user = await chat.auth.register({ email: uniqueEmail(), password: PASSWORD });
    const before = store.get() as StoredAuth;
    expect(await chat.auth.refresh()).toEqual(user);
    const after = store.get() as StoredAuth;
    expect(after.refreshToken).not.toBe(before.refreshToken);
  });

  test('fails with an AuthError when nobody is signed in', async () => {
    await expect(clientOf(server).auth.refresh()).rejects.toBeInstanceOf(AuthError);
  });
});

describe('a stored sign-in', () => {
  test('is picked up by a new client, as after a page reload', async () => {
    const store = memoryTokenStore();
    const first = clientOf(server, { storage: store });
    const user = await first.auth.register({ email: uniqueEmail(), password: PASSWORD });
    const reloaded = clientOf(server, { storage: store });
    expect(reloaded.auth.user).toEqual(user);
    expect(await reloaded.auth.me()).toEqual(user);
  });
});
