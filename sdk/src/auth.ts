// Signing in and staying signed in: tokens in a pluggable store, one shared refresh when the access
// token expires, and listeners told about every change.
import {
  LoginMutation,
  LogoutMutation,
  MeQuery,
  RefreshTokenMutation,
  RegisterMutation,
  SignInWithIdentityMutation,
  StartGuestMutation,
  toUser,
  type AuthPayloadFields,
} from './documents';
import type { AnyVariables, TypedDocumentNode } from '@urql/core';
import { AuthError, asMbcError, type MbcError } from './errors';
import type { ResultOf } from './graphql';
import { sleep } from './sleep';
import type { StoredAuth, TokenStore } from './storage';
import type { SubscriptionHandlers, Transport } from './transport';
import type { User } from './types';

/** Why the signed-in state changed. */
export type AuthChangeReason =
  /** `auth.register` succeeded. */
  | 'register'
  /** `auth.login` succeeded. */
  | 'login'
  /** `auth.startGuest` succeeded. */
  | 'guest'
  /** `auth.signInWithIdentity` succeeded. */
  | 'identity'
  /** The access token was renewed (transparently or by `auth.refresh`). */
  | 'refresh'
  /** `auth.logout` was called. */
  | 'logout'
  /** `accountApi(chat).delete` deleted the account. */
  | 'deleted'
  /** The refresh token was rejected: the user is signed out and must sign in again. */
  | 'expired'
  /** The stored state was loaded, or changed elsewhere (another tab signed in or out). */
  | 'storage';

/** What `auth.onChange` listeners receive. */
export interface AuthChange {
  /** The signed-in user, or null when signed out. */
  user: User | null;
  reason: AuthChangeReason;
}

export interface Credentials {
  email: string;
  password: string;
}

/** `chat.auth`: register, sign in and out, and follow the signed-in state. */
export interface AuthApi {
  /**
   * Creates an account and signs in. A guest who registers keeps every chat (the guest ends).
   * @throws {@link ValidationError} for a bad email or password (`field` says which),
   *   {@link ConflictError} when the email is taken, {@link RateLimitError}.
   */
  register(credentials: Credentials): Promise<User>;
  /**
   * Signs in. A guest who signs in keeps every chat (they move to the account, the guest ends).
   * @throws {@link AuthError} for wrong credentials, {@link RateLimitError} after repeated failures.
   */
  login(credentials: Credentials): Promise<User>;
  /**
   * Signs in as a new guest of the client's site: no e-mail, no password.
   * @throws {@link AuthError} (`FORBIDDEN`) when the site does not allow guests, {@link RateLimitError}.
   */
  startGuest(): Promise<User>;
  /**
   * Signs in the host site's user with an identity token its server signed (a short-lived JWT).
   * @throws {@link AuthError} (`UNAUTHENTICATED`, with `extensions.reason` such as `expired` or
   *   `replayed`) when the token is refused.
   */
  signInWithIdentity(token: string): Promise<User>;
  /**
   * Renews the access token now. Rarely needed: calls renew it when the API says it expired.
   * @throws {@link AuthError} when not signed in or the refresh token was rejected (the user is then signed out).
   */
  refresh(): Promise<User>;
  /** Revokes the refresh token on the server and forgets the tokens. Signed out locally even if the server cannot be reached. */
  logout(): Promise<void>;
  /** Asks the API who is signed in; null when nobody is (or the stored sign-in expired). */
  me(): Promise<User | null>;
  /** Calls `listener` on every change of the signed-in state; returns a function that stops it. */
  onChange(listener: (change: AuthChange) => void): () => void;
  /** The signed-in user as last known (from storage or the last auth call), or null. */
  readonly user: User | null;
  /** True when tokens are stored (they may still turn out to be expired). */
  readonly isAuthenticated: boolean;
}

type AuthPayload = ResultOf<typeof AuthPayloadFields>;

/** How the tabs of a browser coordinate renewing the shared sign-in. */
export interface RenewalCoordination {
  /** The Web Lock that serialises renewals, where the browser offers Web Locks. */
  lockName: string;
  /**
   * A BroadcastChannel on which tabs send the tokens they renewed, or undefined when the client
   * shares its sign-in with no other tab (Node, or a store of its own).
   */
  channelName?: string;
}

/** Without Web Locks, a tab pauses up to this long before renewing, so that a renewal another tab made at the same moment may reach it first. */
const RENEW_JITTER_MS = 100;

const isExpiredToken = (error: unknown) => error instanceof AuthError && error.code === 'UNAUTHENTICATED';

/**
 * The signed-in state behind every call. The store is read before each call rather than cached,
 * so tabs sharing localStorage use each other's renewed tokens instead of reusing a rotated one.
 *
 * A refresh token works once, so tabs must not renew it together. Web Locks serialise them, but a
 * tab that gets the lock may still read the old token from localStorage, which reaches other tabs
 * some milliseconds late. So a tab that renews also sends the new tokens over a BroadcastChannel,
 * and every read takes the newer of the two. Where Web Locks are missing (pages over plain http),
 * a random pause spreads tabs that renew at the same moment. Two tabs that still renew at once are
 * answered the same new tokens by the API (its reuse interval), so a race costs a request, not the sign-in.
 *
 * (Made by createAuthState from closures rather than a class: they minify to less.)
 */
export interface AuthState {
  /** The signed-in user as last known, or null. */
  readonly user: User | null;
  onChange(listener: (change: AuthChange) => void): () => void;
  /** Runs a query or mutation as the signed-in user (or anonymously when signed out). */
  request<Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>, variables: Variables, signal?: AbortSignal): Promise<Data>;
  /** Runs `call` with the current access token; on UNAUTHENTICATED renews once and runs it again. */
  authorized<T>(call: (token: string | undefined) => Promise<T>): Promise<T>;
  /**
   * Opens a subscription as the signed-in user; returns a function that closes it. An expired token
   * shows up as an UNAUTHENTICATED error on the stream: renews once and opens it again.
   */
  subscribe<Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>, variables: Variables, handlers: SubscriptionHandlers<Data>): () => void;
  /**
   * Replaces `rejectedToken`. Calls that fail together share one refresh; a call that fails after
   * another already renewed the token just takes the new one. Resolves null when signed out.
   */
  renewAfter(rejectedToken: string): Promise<StoredAuth | null>;
  signIn(payload: AuthPayload, reason: AuthChangeReason): Promise<User>;
  signOut(reason: AuthChangeReason): Promise<void>;
  /** Reads the store (or what another tab just announced, if newer), reporting a sign-in or sign-out made elsewhere. */
  read(): Promise<StoredAuth | null>;
}

export function createAuthState(store: TokenStore, transport: Transport, coordination: RenewalCoordination): AuthState {
  let known: StoredAuth | null = null;
  /** Set once the state was written or read after the initial read was started. */
  let touched = false;
  let renewal: Promise<StoredAuth | null> | null = null;
  const listeners = new Set<(change: AuthChange) => void>();
  /** The newest tokens another tab announced, until the store has them too. */
  let heard: StoredAuth | null = null;

  // A synchronous store (memory, localStorage) is known at once, so `auth.user` is right from the start.
  const initial = store.get();
  if (isPromiseLike(initial)) {
    // ...an asynchronous one once read, unless a sign-in or a newer read came first.
    initial.then(
      (value) => {
        if (!touched) update(value);
      },
      () => undefined,
    );
  } else {
    known = initial;
  }
  store.subscribe?.(() => void read().catch(() => undefined));
  const channel = coordination.channelName && typeof BroadcastChannel === 'function' ? new BroadcastChannel(coordination.channelName) : null;
  channel?.addEventListener('message', (event: MessageEvent<StoredAuth>) => (heard = event.data));

  function onChange(listener: (change: AuthChange) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  function request<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    signal?: AbortSignal,
  ): Promise<Data> {
    return authorized((token) => transport.run(document, variables, { token, signal }));
  }

  async function authorized<T>(call: (token: string | undefined) => Promise<T>): Promise<T> {
    const stored = await read();
    try {
      return await call(stored?.accessToken);
    } catch (error) {
      if (!stored || !isExpiredToken(error)) throw error;
      const renewed = await renewAfter(stored.accessToken);
      if (!renewed) throw error;
      return call(renewed.accessToken);
    }
  }

  function subscribe<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    handlers: SubscriptionHandlers<Data>,
  ): () => void {
    let close = () => {};
    let closed = false;
    let renewed = false;
    const fail = (error: unknown) => handlers.fail(asMbcError(error));
    const open = async () => {
      const token = (await read())?.accessToken;
      if (closed) return;
      close = transport.subscribe(document, variables, token, {
        ...handlers,
        fail: (error: MbcError) => {
          if (renewed || !token || !isExpiredToken(error)) return handlers.fail(error);
          renewed = true;
          renewAfter(token).then((stored) => (stored ? open().catch(fail) : handlers.fail(error)), fail);
        },
      });
    };
    open().catch(fail);
    return () => {
      closed = true;
      close();
    };
  }

  function renewAfter(rejectedToken: string): Promise<StoredAuth | null> {
    renewal ??= renew(rejectedToken).finally(() => {
      renewal = null;
    });
    return renewal;
  }

  async function signIn(payload: AuthPayload, reason: AuthChangeReason): Promise<User> {
    const stored: StoredAuth = {
      accessToken: payload.accessToken,
      accessTokenExpiresAt: payload.accessTokenExpiresAt,
      refreshToken: payload.refreshToken,
      refreshTokenExpiresAt: payload.refreshTokenExpiresAt,
      user: toUser(payload.user),
    };
    await store.set(stored);
    touched = true;
    known = stored;
    heard = null;
    emit(reason);
    return stored.user;
  }

  async function signOut(reason: AuthChangeReason): Promise<void> {
    await store.clear();
    touched = true;
    known = null;
    heard = null;
    emit(reason);
  }

  async function read(): Promise<StoredAuth | null> {
    const stored = newest(await store.get());
    touched = true;
    update(stored);
    return stored;
  }

  function update(stored: StoredAuth | null): void {
    const before = known?.user.id ?? null;
    known = stored;
    if ((stored?.user.id ?? null) !== before) emit('storage');
  }

  /** The stored state, unless another tab announced newer tokens of the same user that the store does not show yet. */
  function newest(stored: StoredAuth | null): StoredAuth | null {
    const announced = heard;
    if (!announced) return stored;
    if (!stored || announced.user.id !== stored.user.id || announced.accessTokenExpiresAt <= stored.accessTokenExpiresAt) {
      heard = null; // the store caught up, or the sign-in changed meanwhile
      return stored;
    }
    return announced;
  }

  async function renew(rejectedToken: string): Promise<StoredAuth | null> {
    const exchange = async () => {
      const current = await read();
      if (!current || current.accessToken !== rejectedToken) return current;
      try {
        const { refreshToken } = await transport.run(RefreshTokenMutation, { refreshToken: current.refreshToken });
        await signIn(refreshToken, 'refresh');
        channel?.postMessage(known);
        return known;
      } catch (error) {
        if (!(error instanceof AuthError)) throw error; // offline: keep the tokens, they may still be good
        await signOut('expired');
        return null;
      }
    };
    // Clients sharing the store (another client on the page, or another tab through Web Locks)
    // renew one at a time; without Web Locks, a random pause lets one tab's announcement reach the others first.
    const exclusive = () => withStoreLock(store, exchange);
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (locks) return locks.request(coordination.lockName, exclusive);
    if (channel) await sleep(Math.random() * RENEW_JITTER_MS);
    return exclusive();
  }

  function emit(reason: AuthChangeReason): void {
    const change: AuthChange = { user: known?.user ?? null, reason };
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        // One faulty listener must not break sign-in for the others; surface it like an event handler would.
        setTimeout(() => {
          throw error;
        }, 0);
      }
    }
  }

  return {
    get user() {
      return known?.user ?? null;
    },
    onChange,
    request,
    authorized,
    subscribe,
    renewAfter,
    signIn,
    signOut,
    read,
  };
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

const storeLocks = new WeakMap<TokenStore, Promise<unknown>>();

/** Runs `task` after the tasks already queued for this store. */
function withStoreLock<T>(store: TokenStore, task: () => Promise<T>): Promise<T> {
  const run = (storeLocks.get(store) ?? Promise.resolve()).then(task, task);
  storeLocks.set(store, run.catch(() => undefined));
  return run;
}

/** Renewing this long before expiry leaves a guest's token time to reach the server. */
const GUEST_TOKEN_MARGIN_MS = 30_000;

/**
 * The guest's access token, renewed when it is about to expire: sent with register or login, it
 * tells the API to move the guest's chats to the account. Undefined for anyone but a guest.
 */
async function guestToken(state: AuthState): Promise<string | undefined> {
  const stored = await state.read();
  if (stored?.user.role !== 'GUEST') return undefined;
  if (Date.parse(stored.accessTokenExpiresAt) - GUEST_TOKEN_MARGIN_MS > Date.now()) return stored.accessToken;
  return (await state.renewAfter(stored.accessToken).catch(() => null))?.accessToken;
}

export function createAuthApi(state: AuthState, transport: Transport): AuthApi {
  return {
    async register(credentials) {
      const { register } = await transport.run(RegisterMutation, credentials, { token: await guestToken(state) });
      return state.signIn(register, 'register');
    },
    async login(credentials) {
      const { login } = await transport.run(LoginMutation, credentials, { token: await guestToken(state) });
      return state.signIn(login, 'login');
    },
    async startGuest() {
      const { startGuest } = await transport.run(StartGuestMutation, {});
      return state.signIn(startGuest, 'guest');
    },
    async signInWithIdentity(token) {
      const { signInWithIdentity } = await transport.run(SignInWithIdentityMutation, { token });
      return state.signIn(signInWithIdentity, 'identity');
    },
    async refresh() {
      const stored = await state.read();
      if (!stored) throw new AuthError('Not signed in.', { code: 'UNAUTHENTICATED' });
      const renewed = await state.renewAfter(stored.accessToken);
      if (!renewed) throw new AuthError('The sign-in expired; sign in again.', { code: 'UNAUTHENTICATED' });
      return renewed.user;
    },
    async logout() {
      const stored = await state.read();
      try {
        if (stored) await transport.run(LogoutMutation, { refreshToken: stored.refreshToken });
      } catch {
        // Signing out locally is what the user asked for; an unreachable server or an already
        // revoked token does not change that.
      } finally {
        await state.signOut('logout');
      }
    },
    async me() {
      try {
        const { me } = await state.request(MeQuery, {});
        return me ? toUser(me) : null;
      } catch (error) {
        if (error instanceof AuthError) return null;
        throw error;
      }
    },
    onChange: (listener) => state.onChange(listener),
    get user() {
      return state.user;
    },
    get isAuthenticated() {
      return state.user !== null;
    },
  };
}
