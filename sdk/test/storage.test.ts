// Token stores: memory, localStorage (with a stand-in Storage), and what a damaged value reads as.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { localStorageTokenStore, memoryTokenStore, type StoredAuth } from '../src';
import { defaultTokenStore } from '../src/storage';

const stored: StoredAuth = {
  accessToken: 'a',
  accessTokenExpiresAt: '2030-01-01T00:00:00.000Z',
  refreshToken: 'r',
  refreshTokenExpiresAt: '2030-02-01T00:00:00.000Z',
  user: { id: 'u1', email: 'ada@example.com', name: null, role: 'USER', createdAt: '2025-01-01T00:00:00.000Z' },
};

class MapStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('memory store', () => {
  test('keeps what was set until cleared', () => {
    const store = memoryTokenStore();
    expect(store.get()).toBeNull();
    store.set(stored);
    expect(store.get()).toEqual(stored);
    store.clear();
    expect(store.get()).toBeNull();
  });
});

describe('localStorage store', () => {
  test('round-trips the state under its key', () => {
    const storage = new MapStorage();
    const store = localStorageTokenStore('chat', storage);
    store.set(stored);
    expect(JSON.parse(storage.getItem('chat')!)).toEqual(stored);
    expect(localStorageTokenStore('chat', storage).get()).toEqual(stored);
    store.clear();
    expect(storage.getItem('chat')).toBeNull();
  });

  test('a damaged or foreign value reads as signed out', () => {
    const storage = new MapStorage();
    const store = localStorageTokenStore('chat', storage);
    storage.setItem('chat', '{not json');
    expect(store.get()).toBeNull();
    storage.setItem('chat', JSON.stringify({ theme: 'dark' }));
    expect(store.get()).toBeNull();
  });

  test("reports other tabs' changes to its key only", () => {
    const target = new EventTarget();
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
    vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
    const store = localStorageTokenStore('chat', new MapStorage());
    const listener = vi.fn();
    const stop = store.subscribe!(listener);
    const storageEvent = (key: string | null) => Object.assign(new Event('storage'), { key });
    target.dispatchEvent(storageEvent('other'));
    expect(listener).not.toHaveBeenCalled();
    target.dispatchEvent(storageEvent('chat'));
    target.dispatchEvent(storageEvent(null)); // localStorage.clear() in another tab
    expect(listener).toHaveBeenCalledTimes(2);
    stop();
    target.dispatchEvent(storageEvent('chat'));
    expect(listener).toHaveBeenCalledTimes(2);
  });
});

describe('the default store', () => {
  test('is memory in Node', () => {
    const store = defaultTokenStore('http://api/graphql');
    expect(store.subscribe).toBeUndefined();
    store.set(stored);
    expect(store.get()).toEqual(stored);
  });

  test('is localStorage, keyed by the API url, in a browser', () => {
    const storage = new MapStorage();
    vi.stubGlobal('window', { localStorage: storage });
    vi.stubGlobal('document', {});
    defaultTokenStore('http://api/graphql').set(stored);
    expect(storage.getItem('multi-bot-chat:auth:http://api/graphql')).not.toBeNull();
  });

  test('falls back to memory where localStorage throws (sandboxed iframes)', () => {
    vi.stubGlobal('window', {
      get localStorage(): Storage {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    vi.stubGlobal('document', {});
    const store = defaultTokenStore('http://api/graphql');
    store.set(stored);
    expect(store.get()).toEqual(stored);
  });
});
