// Where the signed-in state lives between calls (and page loads): pluggable, possibly async.
import type { User } from './types';

/** What the SDK keeps for a signed-in user. Treat it as a secret: it holds the tokens. */
export interface StoredAuth {
  /** Short-lived bearer token sent in the Authorization header. */
  accessToken: string;
  accessTokenExpiresAt: string;
  /** Single-use token exchanged for a new pair when the access token expires. */
  refreshToken: string;
  refreshTokenExpiresAt: string;
  /** The signed-in user, so `auth.user` is known right after a page load. */
  user: User;
}

/**
 * Storage for the signed-in state. Methods may return promises (e.g. a store backed by IndexedDB,
 * the OS keychain or a server-side session).
 *
 * @example
 * ```ts
 * const store: TokenStore = {
 *   get: () => keychain.read('chat'),
 *   set: (value) => keychain.write('chat', value),
 *   clear: () => keychain.remove('chat'),
 * };
 * const chat = createClient({ url, storage: store });
 * ```
 */
export interface TokenStore {
  /** The stored state, or null when signed out. */
  get(): StoredAuth | null | Promise<StoredAuth | null>;
  set(value: StoredAuth): void | Promise<void>;
  clear(): void | Promise<void>;
  /**
   * Optional: calls `listener` when the stored value changes outside this client (another tab
   * signed in or out), so `auth.onChange` listeners hear it. Returns a function that stops listening.
   */
  subscribe?(listener: () => void): () => void;
}

/** Keeps the state in memory only: signed out when the process or page ends. The default in Node. */
export function memoryTokenStore(initial: StoredAuth | null = null): TokenStore {
  let value = initial;
  return {
    get: () => value,
    set: (next) => {
      value = next;
    },
    clear: () => {
      value = null;
    },
  };
}

/** The part of the Web Storage API the SDK uses (`localStorage`, `sessionStorage`, or your own). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Keeps the state in `localStorage` under `key`, shared by all tabs of the origin; other tabs'
 * sign-ins and sign-outs are reported through `auth.onChange`. The default in browsers.
 *
 * @param key - the localStorage key; give each API its own.
 * @param storage - another `Storage` (e.g. `sessionStorage`); defaults to `globalThis.localStorage`.
 */
export function localStorageTokenStore(key: string, storage: StorageLike = globalThis.localStorage): TokenStore {
  return {
    get: () => parseStoredAuth(storage.getItem(key)),
    set: (value) => storage.setItem(key, JSON.stringify(value)),
    clear: () => storage.removeItem(key),
    subscribe(listener) {
      if (typeof globalThis.addEventListener !== 'function') return () => {};
      const onStorage = (event: StorageEvent) => {
        if (event.key === key || event.key === null) listener();
      };
      globalThis.addEventListener('storage', onStorage);
      return () => globalThis.removeEventListener('storage', onStorage);
    },
  };
}

/** localStorage in a browser (when it is usable: it throws in some sandboxed iframes), memory elsewhere. */
export function defaultTokenStore(url: string): TokenStore {
  const storage = browserLocalStorage();
  return storage ? localStorageTokenStore(`multi-bot-chat:auth:${url}`, storage) : memoryTokenStore();
}

function browserLocalStorage(): StorageLike | undefined {
  if (typeof window === 'undefined' || typeof document === 'undefined') return undefined;
  try {
    const storage = window.localStorage;
    const probe = 'multi-bot-chat:probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return undefined;
  }
}

/** A damaged or foreign value reads as signed out rather than breaking every call. */
function parseStoredAuth(raw: string | null): StoredAuth | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredAuth> | null;
    if (value && typeof value.accessToken === 'string' && typeof value.refreshToken === 'string' && value.user) {
      return value as StoredAuth;
    }
  } catch {
    // fall through
  }
  return null;
}
