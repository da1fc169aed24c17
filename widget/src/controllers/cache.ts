// What the widget keeps in localStorage, under one namespaced key per API: enough to show the
// last state at once (and offline), plus the outbox. The server wins whenever it answers.
import type { Bot, Message, Session, User } from './api.js';
import type { OutboxItem } from './outbox.js';

export interface Snapshot {
  user: User | null;
  bots: Bot[];
  sessions: Record<string, Session[]>;
  messages: Record<string, Message[]>;
  outbox: OutboxItem[];
  /** The bot and chat last open in each element (by its id or `bot` attribute), to come back to after a reload. */
  places: Record<string, Place>;
}

export interface Place {
  botId: string;
  sessionId?: string;
}

const VERSION = 1;
const MAX_SESSIONS = 30;
const MAX_MESSAGES = 60;

export const emptySnapshot = (): Snapshot => ({ user: null, bots: [], sessions: {}, messages: {}, outbox: [], places: {} });

export class Cache {
  constructor(private readonly key: string) {}

  read(): Snapshot {
    try {
      const stored = JSON.parse(localStorage.getItem(this.key) ?? 'null');
      if (stored?.v === VERSION) return { ...emptySnapshot(), ...stored.data };
    } catch {
      // Unreadable or blocked storage: start empty rather than fail to load.
    }
    return emptySnapshot();
  }

  write(snapshot: Snapshot): void {
    // Keep the cache bounded: the most recent chats per bot and the last messages of each.
    const sessions: Snapshot['sessions'] = {};
    const kept = new Set<string>();
    for (const [botId, list] of Object.entries(snapshot.sessions)) {
      sessions[botId] = list.slice(0, MAX_SESSIONS);
      for (const session of sessions[botId]) kept.add(session.id);
    }
    const messages: Snapshot['messages'] = {};
    for (const [sessionId, list] of Object.entries(snapshot.messages)) {
      if (kept.has(sessionId)) messages[sessionId] = list.slice(-MAX_MESSAGES);
    }
    try {
      localStorage.setItem(this.key, JSON.stringify({ v: VERSION, data: { ...snapshot, sessions, messages } }));
    } catch {
      // Quota exceeded or storage disabled: the widget still works, only without the offline copy.
    }
  }

  clear(): void {
    try {
      localStorage.removeItem(this.key);
    } catch {
      // Storage disabled: nothing was kept.
    }
  }
}
