// Chat sessions: the viewer's conversations, newest activity first.
import type { AuthState } from './auth';
import {
  CreateSessionMutation,
  DeleteSessionMutation,
  RenameSessionMutation,
  SessionQuery,
  SessionsQuery,
  toPage,
  toSession,
} from './documents';
import { NotFoundError } from './errors';
import type { ChatSession, Page } from './types';

export interface CreateSessionInput {
  botId: string;
  /**
   * An id of your choosing (e.g. a UUID made while offline). Creating again with the same clientId
   * returns the same session, so a retried create never makes two.
   */
  clientId?: string;
  /** Defaults to a title the API derives from the first exchange. */
  title?: string;
}

export interface ListSessionsInput {
  /** Only the sessions with this bot. */
  botId?: string;
  /** Page size (the API caps it at 100; default 20). */
  first?: number;
  /** `pageInfo.endCursor` of the previous page. */
  after?: string;
}

/** `chat.sessions` without the conversation tools (`createCoreClient`). */
export interface SessionsCoreApi {
  /**
   * One page of the viewer's sessions, most recent activity first.
   *
   * @example
   * ```ts
   * let page = await chat.sessions.list({ botId, first: 20 });
   * while (page.pageInfo.hasNextPage) page = await chat.sessions.list({ botId, first: 20, after: page.pageInfo.endCursor! });
   * ```
   */
  list(input?: ListSessionsInput): Promise<Page<ChatSession>>;
  /** @throws {@link NotFoundError} when the session does not exist or is someone else's. */
  get(id: string): Promise<ChatSession>;
  /** Starts a conversation with a bot (idempotent per `clientId`). */
  create(input: CreateSessionInput): Promise<ChatSession>;
  rename(id: string, title: string): Promise<ChatSession>;
  /** Deletes the session and its messages. Resolves with the deleted id. */
  delete(id: string): Promise<string>;
}

export function createSessionsApi(auth: AuthState): SessionsCoreApi {
  return {
    async list({ botId, first = 20, after } = {}) {
      const { sessions } = await auth.request(SessionsQuery, { botId, first, after });
      return toPage(sessions, toSession);
    },
    async get(id) {
      const { session } = await auth.request(SessionQuery, { id });
      if (!session) throw new NotFoundError('Session not found.', { code: 'NOT_FOUND' });
      return toSession(session);
    },
    async create({ botId, clientId, title }) {
      const { createSession } = await auth.request(CreateSessionMutation, { botId, clientId, title });
      return toSession(createSession);
    },
    async rename(id, title) {
      const { renameSession } = await auth.request(RenameSessionMutation, { id, title });
      return toSession(renameSession);
    },
    async delete(id) {
      const { deleteSession } = await auth.request(DeleteSessionMutation, { id });
      return deleteSession;
    },
  };
}
