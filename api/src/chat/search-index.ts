// The one thing search needs from a database: the ids of a user's messages matching every word,
// newest first, a page at a time (whole words: see search-sqlite.ts for why no prefixes). SQLite answers with FTS5 (search-sqlite.ts), PostgreSQL with a
// GIN-indexed tsvector (search-postgres.ts); both index COMPLETE messages only, without stemming.
import type { Config } from '../config.ts';
import type { Db } from '../db.ts';
import { PostgresSearchIndex } from './search-postgres.ts';
import { SqliteSearchIndex } from './search-sqlite.ts';

export interface SearchQuery {
  userId: string;
  botId: string | null;
  /** Words of letters and digits only (search.ts splits the user's input): never query syntax. */
  words: string[];
  limit: number;
  /** A cursor this index returned, or undefined for the first page. */
  after?: string;
}

export interface SearchIndex {
  /** Matching message ids, newest first, each with the cursor of the page that would follow it. */
  find(query: SearchQuery): Promise<Array<{ messageId: string; cursor: string }>>;
  /** Whether a cursor has this index's shape (anything else is the client's mistake). */
  isCursor(cursor: string): boolean;
}

export function createSearchIndex(db: Db, provider: Config['database']['provider']): SearchIndex {
  return provider === 'postgresql' ? new PostgresSearchIndex(db) : new SqliteSearchIndex(db);
}
