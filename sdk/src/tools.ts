// The conversation tools: regenerate, edit and branches, delete (messages); fork and the model per
// chat (sessions). `createClient` adds them to `chat.messages` and `chat.sessions`; `createCoreClient`
// leaves them out, so an app that does not use them (the widget) does not carry them: their code and
// documents weigh 0.7 KB gzip.
import type { AuthState } from './auth';
import { MessageFields, PageInfoFields, SessionFields, toPage, toSession } from './documents';
import { NotFoundError } from './errors';
import { graphql } from './graphql';
import { toolDocuments as makeToolDocuments, type ToolDocuments } from './tool-documents';
import type { HistoryInput, MessagesCoreApi } from './messages';
import type { SessionsCoreApi } from './sessions';
import type { ChatSession, HistoryMessage, Page } from './types';

let loaded: ToolDocuments | undefined;
/** The tools' documents, parsed on first use. */
export const toolDocuments = async () =>
  (loaded ??= makeToolDocuments(graphql, { MessageFields, SessionFields, PageInfoFields }));

/** `chat.messages`: history, sending and streaming, and the conversation tools. */
export interface MessagesApi extends MessagesCoreApi {
  /**
   * One page of a session's messages, oldest first (the newest page when `before` is omitted), each
   * with its turn's variants and the viewer's rating. On a branched chat this is its active path:
   * the variant shown of each turn, without deleted messages.
   */
  history(input: HistoryInput): Promise<Page<HistoryMessage>>;
  /**
   * A new reply to the question a finished reply answered; the old one stays as a variant with the
   * turns that followed it. Resolves with the new reply, status STREAMING: watch it with `follow`.
   * @throws {@link ValidationError} (`field: 'messageId'`) for a user message, a reply still streaming, or one off the active path.
   */
  regenerate(messageId: string): Promise<HistoryMessage>;
  /**
   * The question with new text and a new reply to it (status STREAMING: watch it with `follow`).
   * The original stays as the question's earlier variant, its edit history, with the turns that followed it.
   */
  edit(messageId: string, text: string): Promise<{ userMessage: HistoryMessage; botMessage: HistoryMessage }>;
  /** Shows this variant of its turn (one of a message's `variants`), and the branch after it as it was last shown. */
  selectVariant(messageId: string): Promise<HistoryMessage>;
  /** Hides a message everywhere and leaves it out of prompts. Resolves with the deleted id. */
  delete(messageId: string): Promise<string>;
}

/** `chat.sessions`: the viewer's conversations, forks and the model per chat. */
export interface SessionsApi extends SessionsCoreApi {
  /** A new chat with the same bot and model, holding the conversation up to this message (the branch it is on). */
  fork(messageId: string): Promise<ChatSession>;
  /** The models a chat may use (the provider's list, the server's default first). */
  models(): Promise<string[]>;
  /**
   * Makes the chat answer with one of `models()` instead of its bot's model; null goes back to the bot's.
   * @throws {@link ValidationError} (`field: 'model'`) for a model the provider does not offer.
   */
  setModel(id: string, model: string | null): Promise<ChatSession>;
}

export type MessageTools = Omit<MessagesApi, Exclude<keyof MessagesCoreApi, 'history'>>;
export type SessionTools = Omit<SessionsApi, keyof SessionsCoreApi>;

export function createMessageTools(auth: AuthState): MessageTools {
  return {
    async history({ sessionId, last = 50, before }) {
      const { HistoryWithToolsQuery, toHistoryMessage } = await toolDocuments();
      const { session } = await auth.request(HistoryWithToolsQuery, { sessionId, last, before });
      if (!session) throw new NotFoundError('Session not found.', { code: 'NOT_FOUND' });
      return toPage(session.messages, toHistoryMessage);
    },
    async regenerate(messageId) {
      const { RegenerateReplyMutation, toHistoryMessage } = await toolDocuments();
      return toHistoryMessage((await auth.request(RegenerateReplyMutation, { messageId })).regenerateReply);
    },

    async edit(messageId, text) {
      const { EditMessageMutation, toHistoryMessage } = await toolDocuments();
      const { editMessage } = await auth.request(EditMessageMutation, { messageId, text });
      return { userMessage: toHistoryMessage(editMessage.userMessage), botMessage: toHistoryMessage(editMessage.botMessage) };
    },

    async selectVariant(messageId) {
      const { SelectVariantMutation, toHistoryMessage } = await toolDocuments();
      return toHistoryMessage((await auth.request(SelectVariantMutation, { messageId })).selectVariant);
    },

    async delete(messageId) {
      const { DeleteMessageMutation } = await toolDocuments();
      return (await auth.request(DeleteMessageMutation, { messageId })).deleteMessage;
    },
  };
}

export function createSessionTools(auth: AuthState): SessionTools {
  return {
    async fork(messageId) {
      const { ForkSessionMutation } = await toolDocuments();
      return toSession((await auth.request(ForkSessionMutation, { messageId })).forkSession);
    },
    async models() {
      const { ModelsQuery } = await toolDocuments();
      return [...(await auth.request(ModelsQuery, {})).models];
    },
    async setModel(id, model) {
      const { SetSessionModelMutation } = await toolDocuments();
      return toSession((await auth.request(SetSessionModelMutation, { id, model })).setSessionModel);
    },
  };
}
