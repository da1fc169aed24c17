// Read-only links to chats.
import type { AuthState } from './auth';
import { authStateOf, type CoreClient } from './client';
import { SessionShareQuery, ShareSessionMutation, toShare, UnshareSessionMutation } from './occasional-documents';
import { NotFoundError } from './errors';
import type { ChatShare } from './types';

/** Read-only links to a chat as it stands (a snapshot), revocable at once: `sharesApi(chat)`. */
export interface SharesApi {
  /** The chat's link, or null when it is not shared. @throws {@link NotFoundError} for an unknown chat. */
  get(sessionId: string): Promise<ChatShare | null>;
  /** Shares the chat as it stands now; an earlier link of it stops working. */
  create(sessionId: string): Promise<ChatShare>;
  /** Revokes the chat's link; false when it had none. */
  revoke(sessionId: string): Promise<boolean>;
}

/** Shares with a client's sign-in; a separate entry so that pages without sharing leave its code out. */
export function sharesApi(client: CoreClient): SharesApi {
  return createSharesApi(authStateOf(client));
}

function createSharesApi(auth: AuthState): SharesApi {
  return {
    async get(id) {
      const { session } = await auth.request(SessionShareQuery, { id });
      if (!session) throw new NotFoundError('Session not found.', { code: 'NOT_FOUND' });
      return session.share ? toShare(session.share) : null;
    },
    async create(id) {
      return toShare((await auth.request(ShareSessionMutation, { id })).shareSession);
    },
    async revoke(id) {
      return (await auth.request(UnshareSessionMutation, { id })).unshareSession;
    },
  };
}
