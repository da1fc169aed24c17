// GraphiQL's page, bundled for offline use, and what a developer sees first in it: the whole journey,
// one operation at a time.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CompressedBody, compressLarge, sendCompressed } from './http/compressed.ts';

/**
 * GraphiQL's page (9 MB of HTML, the bundled editor) as Yoga would render it, rendered and compressed on
 * the first visit and then served from memory: brotli or gzip, revalidated by ETag (a visit after
 * that is a 304). Yoga answers a GET that accepts HTML with the page; so does this.
 */
export class GraphiqlPage {
  private page?: Promise<CompressedBody>;

  /** Yoga's rule for who gets the page rather than a GraphQL answer. */
  static wanted(req: IncomingMessage): boolean {
    return req.method === 'GET' && String(req.headers.accept ?? '').includes('text/html');
  }

  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.page ??= this.render().catch((error: unknown) => {
      this.page = undefined; // a failed render is tried again on the next visit
      throw error;
    });
    sendCompressed(req, res, await this.page, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
  }

  // The bundle is megabytes of script: loaded on the first visit, not at every start.
  private async render(): Promise<CompressedBody> {
    const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
    return compressLarge(Buffer.from(renderGraphiQL({ title: 'multi-bot-chat API', defaultQuery: GRAPHIQL_DEFAULT_DOCUMENT })));
  }
}

export const GRAPHIQL_DEFAULT_DOCUMENT = `# Welcome to multi-bot-chat.
# 1. Run "Register" (or "Login"), copy accessToken into the Headers tab as
#      { "Authorization": "Bearer <accessToken>" }
# 2. Run "Bots", pick a bot id, run "StartSession" with it.
# 3. Run "Watch" (it streams), then "Send" in a second tab with the session id.
#    Or run "SendAndWait" to get the whole reply in one response.
# 4. As an admin, run "CreateSite": embed the chat on your site with its publicKey,
#      <multi-bot-chat site="pk_…">  (docs/embedding.md: guests, sign-in from your site)

mutation Register {
  register(email: "ada@example.com", password: "correct horse battery") {
    accessToken
    refreshToken
    user { id email }
  }
}

mutation Login {
  login(email: "ada@example.com", password: "correct horse battery") {
    accessToken
    refreshToken
  }
}

query Bots {
  me { email }
  bots { id name description isSystem model }
}

mutation StartSession($botId: ID!) {
  createSession(botId: $botId) { id title bot { name } }
}

subscription Watch($sessionId: ID!) {
  sessionEvents(sessionId: $sessionId) {
    __typename
    ... on MessageAdded { message { id role status } }
    ... on MessageDelta { messageId seq text }
    ... on MessageCompleted { message { id text latencyMs firstTokenMs completionTokens } }
    ... on MessageFailed { messageId code errorMessage }
  }
}

mutation Send($sessionId: ID!) {
  sendMessage(sessionId: $sessionId, text: "Hi! My name is Ada.") {
    userMessage { id text }
    botMessage { id status }
  }
}

mutation SendAndWait($sessionId: ID!) {
  sendMessage(sessionId: $sessionId, text: "What can you do?", wait: true) {
    botMessage { text status model latencyMs firstTokenMs promptTokens completionTokens }
  }
}

query History($sessionId: ID!) {
  session(id: $sessionId) {
    title
    messages(last: 20) {
      edges { node { role text status } }
      pageInfo { hasPreviousPage startCursor }
    }
  }
  memories { key value bot { name } }
}

# Admins only (an operator makes the first admin: UPDATE "User" SET role = 'ADMIN' WHERE email = …).
mutation CreateSite {
  createSite(input: {
    name: "Fernway Coffee"
    allowedOrigins: ["https://shop.example"]
    allowGuests: true
    disclosure: "You are chatting with an AI assistant."
    welcome: "Hi! Ask us anything about your order or our coffee."
  }) {
    id
    publicKey
    allowGuests
    allowAccounts
    identity { mode }
  }
}
`;
