// Search across the viewer's chats.
import type { AuthState } from './auth';
import { authStateOf, type CoreClient } from './client';
import { toPage } from './documents';
import { SearchQuery, toSearchHit } from './occasional-documents';
import type { Page, SearchHit } from './types';

/** Full-text search over the viewer's messages: `searchApi(chat)`. */
export interface SearchApi {
  /**
   * Messages holding every word of `query` (whole words), newest first. The query is plain
   * words: quotes and operators are ignored, so any input is safe. Pages forward with `after`.
   * @throws {@link ValidationError} for a query over 200 characters, `first` outside 1–50, or a foreign cursor.
   */
  messages(query: string, options?: { botId?: string; first?: number; after?: string }): Promise<Page<SearchHit>>;
}

/** Search with a client's sign-in; a separate entry so that pages without search leave its code out. */
export function searchApi(client: CoreClient): SearchApi {
  return createSearchApi(authStateOf(client));
}

function createSearchApi(auth: AuthState): SearchApi {
  return {
    async messages(query, { botId, first, after } = {}) {
      const { search } = await auth.request(SearchQuery, { query, botId, first, after });
      return toPage(search, toSearchHit);
    },
  };
}
