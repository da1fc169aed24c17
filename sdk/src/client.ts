// createCoreClient: one object with a namespace per part of the API, sharing one transport and one
// sign-in; createClient (chat-client.ts) adds the conversation tools and feedback.
import { type AuthApi, type AuthState, createAuthApi, createAuthState } from './auth';
import { type BotsApi, createBotsApi } from './bots';
import { createEventHub, type EventHub, viewerEventsOf } from './event-hub';
import { createMemoriesApi, type MemoriesApi } from './memories';
import { createMessagesApi, type MessagesCoreApi } from './messages';
import { DEFAULT_RECONNECT, type ReconnectOptions } from './session-stream';
import { createSessionsApi, type SessionsCoreApi } from './sessions';
import { createSiteApi, type SiteApi } from './site';
import { defaultTokenStore, type TokenStore } from './storage';
import { shareAcrossTabs } from './tab-share';
import { type FetchLike, Transport } from './transport';

export interface ClientOptions {
  /** The API's GraphQL endpoint, e.g. `https://chat.example.com/graphql`. */
  url: string;
  /**
   * Where the signed-in state is kept. Default: `localStorage` in browsers (shared by the tabs of
   * the origin), memory elsewhere. See {@link localStorageTokenStore}, {@link memoryTokenStore}.
   */
  storage?: TokenStore;
  /** The `fetch` to use (for tests, proxies, instrumentation). Default: the global `fetch`, looked up at call time. */
  fetch?: FetchLike;
  /** How streams reconnect after their connection breaks. Default: 5 attempts, 500 ms doubling. */
  reconnect?: ReconnectOptions;
  /**
   * Share with the other tabs of the browser: one tab holds the event connection for all, and tabs
   * coordinate renewing the sign-in (BroadcastChannel; Web Locks where the page has them).
   * Default: on in browsers with the default `storage` (localStorage, which the tabs share).
   */
  shareAcrossTabs?: boolean;
  /**
   * The public key of the site the client speaks for (`pk_…`), sent with every request in the
   * `X-MBC-Site` header. Without it, the API's default site. Each site keeps its own sign-in.
   */
  site?: string;
}


/** A client without the conversation tools and feedback (see {@link createCoreClient}; the whole client: `createClient`). */
export interface CoreClient {
  auth: AuthApi;
  bots: BotsApi;
  sessions: SessionsCoreApi;
  messages: MessagesCoreApi;
  memories: MemoriesApi;
  site: SiteApi;
}

/**
 * A client without the conversation tools (regenerate, edit, branches, delete, fork, the model per
 * chat) and feedback: for apps that do not offer them and count their bytes (the widget's first load).
 */
export function createCoreClient(options: ClientOptions): CoreClient {
  return createParts(options).core;
}

/** The core client and the sign-in state the conversation tools share with it. */
export function createParts(options: ClientOptions): { core: CoreClient; auth: AuthState } {
  const { url } = options;
  if (!url) throw new TypeError('createClient needs the API url, e.g. { url: "http://localhost:4000/graphql" }.');
  const fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
  if (!(reconnect.attempts >= 0) || !(reconnect.delayMs >= 0)) {
    throw new RangeError('reconnect.attempts and reconnect.delayMs must be numbers ≥ 0.');
  }
  const site = options.site?.trim() || null;
  const transport = new Transport(url, fetch, site);
  // A site's sign-in is valid on that site only, so each site keeps its own (and shares and renews it alone).
  const scope = site ? `${url}#${site}` : url;
  const storage = options.storage ?? defaultTokenStore(scope);
  const shared = (options.shareAcrossTabs ?? (!options.storage && typeof window === 'object')) && typeof BroadcastChannel === 'function';
  const auth = createAuthState(storage, transport, {
    lockName: `multi-bot-chat:refresh:${scope}`,
    channelName: shared ? `multi-bot-chat:auth:${scope}` : undefined,
  });
  const core = {
    auth: createAuthApi(auth, transport),
    bots: createBotsApi(auth),
    sessions: createSessionsApi(auth),
    messages: createMessagesApi(auth, eventHub(auth, scope, shared), reconnect),
    memories: createMemoriesApi(auth),
    site: createSiteApi(transport, site),
  } as CoreClient;
  shareSignIn(core, auth);
  return { core, auth };
}

// Each client's sign-in, for the parts of the API that are separate entries (searchApi, exportsApi,
// sharesApi, memoryEditor, accountApi), so that pages that do not use them leave their code out.
const signIns = new WeakMap<CoreClient, AuthState>();
export const authStateOf = (client: CoreClient): AuthState => signIns.get(client)!;
/** Makes `client` (a client built from a core one, e.g. createClient's) answer authStateOf too. */
export function shareSignIn<C extends CoreClient>(client: C, auth: AuthState): C {
  signIns.set(client, auth);
  return client;
}

/** The one event connection of this client, or of all the browser's tabs when `shared`. */
function eventHub(auth: AuthState, scope: string, shared: boolean): EventHub {
  const direct = viewerEventsOf(auth);
  const name = `multi-bot-chat:events:${scope}`;
  return createEventHub(shared ? shareAcrossTabs(direct, { channelName: name, lockName: name, userId: () => auth.user?.id ?? null }) : direct);
}
