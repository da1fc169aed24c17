// Search across the viewer's chats: the words of the query, every one of them in a message, newest
// first. The user's input is only ever split into words of letters and digits: quotes, FTS5 and
// tsquery operators are separators, so no input is query syntax and none can fail the query.
import type { ChatSession, Message } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db.ts';
import { badInput } from '../errors.ts';
import type { SearchIndex } from './search-index.ts';
import { type Snippet, snippetOf } from './snippets.ts';

const SEARCH_QUERY_MAX_LENGTH = 200;
const SEARCH_PAGE_MAX = 50;
const MAX_WORDS = 8;
const MAX_WORD_LENGTH = 64;

export interface SearchHit {
  message: Message;
  session: ChatSession;
  snippet: Snippet;
}

export interface SearchPage {
  edges: Array<{ cursor: string; node: SearchHit }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** The words a query searches for: letters and digits, lower-cased, at most 8. */
export function searchWords(query: string): string[] {
  const words = [...query.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)].map(([word]) => word.slice(0, MAX_WORD_LENGTH));
  return [...new Set(words)].slice(0, MAX_WORDS);
}

export class SearchService {
  constructor(
    private readonly db: Db,
    private readonly index: SearchIndex,
  ) {}

  async search(viewer: Viewer, args: { query: string; botId: string | null; first?: number | null; after?: string | null }): Promise<SearchPage> {
    if (args.query.length > SEARCH_QUERY_MAX_LENGTH) throw badInput('query', `A search is at most ${SEARCH_QUERY_MAX_LENGTH} characters.`);
    const first = args.first ?? 20;
    if (first < 1 || first > SEARCH_PAGE_MAX) throw badInput('first', `first must be between 1 and ${SEARCH_PAGE_MAX}.`);
    const after = args.after ? this.cursorFrom(args.after) : undefined;
    const words = searchWords(args.query);
    const empty: SearchPage = { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: Boolean(after), startCursor: null, endCursor: null } };
    if (!words.length) return empty;

    const found = await this.index.find({ userId: viewer.userId, botId: args.botId, words, limit: first + 1, after });
    const page = found.slice(0, first);
    const messages = await this.db.message.findMany({ where: { id: { in: page.map((hit) => hit.messageId) } }, include: { session: true } });
    const byId = new Map(messages.map((message) => [message.id, message]));
    const edges = page.flatMap(({ messageId, cursor }) => {
      const message = byId.get(messageId);
      // Deleted between the two reads: leave it out.
      if (!message) return [];
      const { session, ...row } = message;
      return [{ cursor: Buffer.from(cursor).toString('base64url'), node: { message: row, session, snippet: snippetOf(row.text, words) } }];
    });
    return {
      edges,
      pageInfo: { hasNextPage: found.length > first, hasPreviousPage: Boolean(after), startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  private cursorFrom(after: string): string {
    const cursor = Buffer.from(after, 'base64url').toString('utf8');
    if (!this.index.isCursor(cursor)) throw badInput('after', 'Not a cursor of this search.');
    return cursor;
  }
}
