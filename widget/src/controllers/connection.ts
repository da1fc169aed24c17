// One connection per API URL, site and page, shared by every <multi-bot-chat> pointing at them:
// one SDK client (so token refreshes never race each other), one cache, one outbox. It holds the
// state the elements read and composes the parts that change it, one job each: sign-in
// (account.ts), reachability, bots, chats, history, replies and the outbox. It announces every
// change with `change`.
import { createCoreClient, localStorageTokenStore, NetworkError } from '@multi-bot-chat/sdk';
import type { Client, Message, SiteConfig, User } from './api.js';
import { Cache, type Snapshot } from './cache.js';
import { Account } from './account.js';
import { Reachability } from './reachability.js';
import { Bots } from './bots.js';
import { Chats } from './chats.js';
import { History } from './history.js';
import { Replies } from './replies.js';
import { Outbox } from './outbox.js';

export type Phase = 'loading' | 'signed-out' | 'ready';
export type { Identify } from './account.js';

/** Events for the elements: `change` (re-render), and the ones they forward to the host page. */
export interface ConnectionEvents {
  change: void;
  login: { user: User; origin?: object };
  logout: { origin?: object };
  sent: { message: Message; origin?: object };
  reply: { message: Message; origin?: object };
  error: { error: unknown; origin?: object };
  /** A chat started offline reached the server and has its real id now. */
  adopt: { from: string; to: string };
}

export class Connection extends EventTarget {
  readonly client: Client;
  phase: Phase = 'loading';
  data: Snapshot;
  /** The elements showing this connection, in the order they appeared. */
  readonly hosts = new Set<HTMLElement>();
  /** Which element queued an outbox item, so that element announces its delivery. */
  readonly origins = new Map<string, object>();
  readonly reachability: Reachability;
  readonly account: Account;
  readonly bots: Bots;
  readonly chats: Chats;
  readonly history: History;
  readonly replies: Replies;
  readonly outbox: Outbox;
  /** The site's public settings, once read (null before, or when they could not be read). */
  site: SiteConfig | null = null;
  private readonly cache: Cache;
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(
    readonly url: string,
    readonly siteKey = '',
  ) {
    super();
    const namespace = `mbc:${url}${siteKey && `#${siteKey}`}`;
    this.cache = new Cache(`${namespace}:cache`);
    this.data = this.cache.read();
    this.reachability = new Reachability(
      (back) => {
        this.changed(false);
        if (back) this.reconnect();
      },
      () => this.phase === 'ready' && void this.bots.load(),
    );
    // The core client: the conversation tools are not offered by the widget yet, and would weigh on its first load.
    this.client = createCoreClient({ url, site: siteKey, storage: localStorageTokenStore(`${namespace}:auth`), fetch: this.reachability.fetch });
    this.bots = new Bots(this);
    this.chats = new Chats(this);
    this.history = new History(this);
    this.replies = new Replies(this);
    const data = () => this.data;
    this.outbox = new Outbox({
      get items() {
        return data().outbox;
      },
      set items(items) {
        data().outbox = items;
      },
      // Not while the host page is asked who its user is again (our sign-in ended).
      canSend: () => this.reachability.online && this.phase === 'ready' && !this.account?.identifying,
      deliver: (item, accepted) => this.replies.deliver(item, accepted),
      changed: (save) => this.changed(save),
      unreachable: () => this.reachability.lost(),
      refused: (item, error) => this.emit('error', { error, origin: this.origins.get(item.clientMessageId) }),
    });
    this.account = new Account(this);
  }

  emit<K extends keyof ConnectionEvents>(type: K, detail?: ConnectionEvents[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Re-renders the elements; `save` also writes the cache (while signed in). */
  changed(save = true): void {
    if (save && this.phase === 'ready') this.cache.write(this.data);
    this.emit('change');
  }

  /** Forgets everything of the signed-out user. */
  clear(): void {
    this.cache.clear();
    this.replies.stopAll();
  }

  /** Back online: deliver the outbox and refresh what is on screen (the server wins). */
  reconnect(): void {
    this.outbox.flush();
    void this.bots.load();
    for (const { botId, sessionId } of Object.values(this.data.places)) {
      void this.chats.load(botId);
      if (sessionId) void this.history.load(sessionId);
    }
  }

  /** Runs a request once at a time per key; a NetworkError is the reachability's news, others are reported. */
  once<T>(key: string, run: () => Promise<T>): Promise<T | undefined> {
    let pending = this.loading.get(key) as Promise<T | undefined> | undefined;
    if (!pending) {
      pending = run()
        .catch((error) => {
          if (error instanceof NetworkError) this.reachability.lost();
          else this.emit('error', { error });
          return undefined;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }
}

const connections = new Map<string, Connection>();

/** The page's connection to an API for a site, created on first use. */
export function connect(url: string, site = ''): Connection {
  const key = `${url}#${site}`;
  let connection = connections.get(key);
  if (!connection) connections.set(key, (connection = new Connection(url, site)));
  return connection;
}
