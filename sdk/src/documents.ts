// Every GraphQL document the SDK sends, typed against api/schema.graphql by gql.tada, and the
// functions that turn results into the public types. test/schema-drift.test.ts validates each
// document against the schema file; `tsc` fails if a result no longer fits its public type.
import { graphql, type ResultOf } from './graphql';
import type { Bot, ChatSession, Memory, Message, Page, PageInfo, SiteConfig, User } from './types';

export const UserFields = graphql(`
  fragment UserFields on User { id email name role createdAt }
`);

export const BotFields = graphql(`
  fragment BotFields on Bot {
    id slug name description avatar model systemPrompt temperature topP welcome starters settings isSystem editable createdAt updatedAt
  }
`);

export const SessionFields = graphql(`
  fragment SessionFields on ChatSession { id clientId title model createdAt updatedAt lastMessageAt bot { id } }
`);

export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id sessionId parentId role text status seq clientMessageId model latencyMs firstTokenMs
    promptTokens completionTokens errorCode errorMessage createdAt updatedAt
  }
`);


export const MemoryFields = graphql(`
  fragment MemoryFields on Memory { id key value createdAt updatedAt bot { id } }
`);

export const PageInfoFields = graphql(`
  fragment PageInfoFields on PageInfo { hasNextPage hasPreviousPage startCursor endCursor }
`);

export const AuthPayloadFields = graphql(
  `
  fragment AuthPayloadFields on AuthPayload {
    accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { ...UserFields }
  }
`,
  [UserFields],
);

// auth

export const RegisterMutation = graphql(
  `
  mutation Register($email: String!, $password: String!) {
    register(email: $email, password: $password) { ...AuthPayloadFields }
  }
`,
  [AuthPayloadFields],
);

export const LoginMutation = graphql(
  `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { ...AuthPayloadFields }
  }
`,
  [AuthPayloadFields],
);

export const RefreshTokenMutation = graphql(
  `
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) { ...AuthPayloadFields }
  }
`,
  [AuthPayloadFields],
);

export const StartGuestMutation = graphql(
  `
  mutation StartGuest { startGuest { ...AuthPayloadFields } }
`,
  [AuthPayloadFields],
);

export const SignInWithIdentityMutation = graphql(
  `
  mutation SignInWithIdentity($token: String!) { signInWithIdentity(token: $token) { ...AuthPayloadFields } }
`,
  [AuthPayloadFields],
);

export const LogoutMutation = graphql(`
  mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }
`);

export const MeQuery = graphql(
  `
  query Me { me { ...UserFields } }
`,
  [UserFields],
);

// bots

export const BotsQuery = graphql(
  `
  query Bots { bots { ...BotFields } }
`,
  [BotFields],
);

export const BotQuery = graphql(
  `
  query Bot($id: ID!) { bot(id: $id) { ...BotFields } }
`,
  [BotFields],
);

export const CreateBotMutation = graphql(
  `
  mutation CreateBot($input: BotInput!) { createBot(input: $input) { ...BotFields } }
`,
  [BotFields],
);

export const UpdateBotMutation = graphql(
  `
  mutation UpdateBot($id: ID!, $input: BotInput!) { updateBot(id: $id, input: $input) { ...BotFields } }
`,
  [BotFields],
);

export const DeleteBotMutation = graphql(`
  mutation DeleteBot($id: ID!) { deleteBot(id: $id) }
`);

// sessions

export const SessionsQuery = graphql(
  `
  query Sessions($botId: ID, $first: Int, $after: String) {
    sessions(botId: $botId, first: $first, after: $after) {
      edges { node { ...SessionFields } }
      pageInfo { ...PageInfoFields }
    }
  }
`,
  [SessionFields, PageInfoFields],
);

export const SessionQuery = graphql(
  `
  query Session($id: ID!) { session(id: $id) { ...SessionFields } }
`,
  [SessionFields],
);

export const CreateSessionMutation = graphql(
  `
  mutation CreateSession($botId: ID!, $clientId: String, $title: String) {
    createSession(botId: $botId, clientId: $clientId, title: $title) { ...SessionFields }
  }
`,
  [SessionFields],
);

export const RenameSessionMutation = graphql(
  `
  mutation RenameSession($id: ID!, $title: String!) { renameSession(id: $id, title: $title) { ...SessionFields } }
`,
  [SessionFields],
);

export const DeleteSessionMutation = graphql(`
  mutation DeleteSession($id: ID!) { deleteSession(id: $id) }
`);



// messages

export const HistoryQuery = graphql(
  `
  query History($sessionId: ID!, $last: Int, $before: String) {
    session(id: $sessionId) {
      id
      messages(last: $last, before: $before) {
        edges { node { ...MessageFields } }
        pageInfo { ...PageInfoFields }
      }
    }
  }
`,
  [MessageFields, PageInfoFields],
);

export const MessageQuery = graphql(
  `
  query Message($id: ID!) { node(id: $id) { __typename ... on Message { ...MessageFields } } }
`,
  [MessageFields],
);

export const SendMessageMutation = graphql(
  `
  mutation SendMessage($sessionId: ID!, $text: String!, $clientMessageId: String) {
    sendMessage(sessionId: $sessionId, text: $text, clientMessageId: $clientMessageId) {
      userMessage { ...MessageFields }
      botMessage { ...MessageFields }
    }
  }
`,
  [MessageFields],
);

export const CancelReplyMutation = graphql(
  `
  mutation CancelReply($messageId: ID!) { cancelReply(messageId: $messageId) { ...MessageFields } }
`,
  [MessageFields],
);

export const RetryReplyMutation = graphql(
  `
  mutation RetryReply($messageId: ID!) { retryReply(messageId: $messageId) { ...MessageFields } }
`,
  [MessageFields],
);

export const ViewerEventsSubscription = graphql(
  `
  subscription ViewerEvents {
    viewerEvents {
      sessionId
      event {
        __typename
        ... on MessageAdded { message { ...MessageFields } }
        ... on MessageDelta { messageId seq text }
        ... on MessageCompleted { message { ...MessageFields } }
        ... on MessageFailed { messageId code errorMessage }
        ... on PathChanged { sessionId parentId }
        ... on MessageDeleted { messageId }
        ... on SessionDeleted { sessionId }
      }
    }
  }
`,
  [MessageFields],
);

// memories

export const MemoriesQuery = graphql(
  `
  query Memories($botId: ID) { memories(botId: $botId) { ...MemoryFields } }
`,
  [MemoryFields],
);

export const DeleteMemoryMutation = graphql(`
  mutation DeleteMemory($id: ID!) { deleteMemory(id: $id) }
`);

// sites

export const SiteConfigQuery = graphql(
  `
  query SiteConfig($key: String) {
    siteConfig(key: $key) { name bots { ...BotFields } defaultBotId allowGuests allowAccounts hostSignIn disclosure welcome }
  }
`,
  [BotFields],
);

// results → public types. Each conversion is typed on both sides, so a schema change that alters a
// field's type or nullability breaks the build here instead of reaching users as a wrong type.

export const toUser = (user: ResultOf<typeof UserFields>): User => ({ ...user });

export const toBot = (bot: ResultOf<typeof BotFields>): Bot => ({ ...bot });

export const toSession = ({ bot, ...session }: ResultOf<typeof SessionFields>): ChatSession => ({ ...session, botId: bot.id });

export const toMessage = (message: ResultOf<typeof MessageFields>): Message => ({ ...message });




export const toMemory = ({ bot, ...memory }: ResultOf<typeof MemoryFields>): Memory => ({ ...memory, botId: bot.id });

export const toSiteConfig = ({ bots, ...config }: ResultOf<typeof SiteConfigQuery>['siteConfig']): SiteConfig => ({
  ...config,
  bots: bots.map(toBot),
});

const toPageInfo = (pageInfo: ResultOf<typeof PageInfoFields>): PageInfo => ({ ...pageInfo });

export function toPage<Node, Item>(
  connection: { edges: ReadonlyArray<{ node: Node }>; pageInfo: ResultOf<typeof PageInfoFields> },
  toItem: (node: Node) => Item,
): Page<Item> {
  return { items: connection.edges.map((edge) => toItem(edge.node)), pageInfo: toPageInfo(connection.pageInfo) };
}
