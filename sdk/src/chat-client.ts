// createClient: the whole client, the core (client.ts) with the conversation tools and feedback. In
// a module of its own, so that an app using only createCoreClient does not bundle the tools at all.
import { type ClientOptions, type CoreClient, createParts, shareSignIn } from './client';
import { createFeedbackApi, type FeedbackApi } from './feedback';
import { createMessageTools, createSessionTools, type MessagesApi, type SessionsApi } from './tools';

/** A client of the multi-bot-chat API. Create one per API and share it. */
export interface ChatClient extends Omit<CoreClient, 'sessions' | 'messages'> {
  sessions: SessionsApi;
  messages: MessagesApi;
  feedback: FeedbackApi;
}

/**
 * Creates a client.
 *
 * @example
 * ```ts
 * const chat = createClient({ url: 'http://localhost:4000/graphql' });
 * await chat.auth.login({ email, password });
 * const [bot] = await chat.bots.list();
 * ```
 */
export function createClient(options: ClientOptions): ChatClient {
  const { core, auth } = createParts(options);
  const client: ChatClient = {
    ...core,
    sessions: { ...core.sessions, ...createSessionTools(auth) },
    messages: { ...core.messages, ...createMessageTools(auth) },
    feedback: createFeedbackApi(auth),
  };
  return shareSignIn(client, auth);
}

