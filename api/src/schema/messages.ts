import { encodeGlobalID } from '@pothos/plugin-relay';
import { type SessionEvent, untilSessionDeleted } from '../chat/events.ts';
import { assertBotAllowsOrigin, assertSessionAllowsOrigin } from '../origins.ts';
import { builder, idOf, requireViewer } from './builder.ts';
import { Feedback } from './feedback.ts';

const MessageRole = builder.enumType('MessageRole', { values: ['USER', 'BOT'] as const });
const MessageStatus = builder.enumType('MessageStatus', { values: ['COMPLETE', 'STREAMING', 'FAILED', 'CANCELLED'] as const });

export const Message = builder.prismaNode('Message', {
  id: { field: 'id' },
  fields: (t) => ({
    sessionId: t.id({ resolve: (m) => encodeGlobalID('ChatSession', m.sessionId) }),
    parentId: t.id({ nullable: true, resolve: (m) => (m.parentId ? encodeGlobalID('Message', m.parentId) : null) }),
    role: t.expose('role', { type: MessageRole }),
    text: t.exposeString('text'),
    status: t.expose('status', { type: MessageStatus }),
    seq: t.exposeInt('seq', {
      description: 'Number of MessageDelta events already included in text (resume point for a reconnecting client).',
    }),
    clientMessageId: t.exposeString('clientMessageId', { nullable: true }),
    model: t.exposeString('model', { nullable: true }),
    latencyMs: t.exposeInt('latencyMs', { nullable: true, description: 'Milliseconds from request to the last token.' }),
    firstTokenMs: t.exposeInt('firstTokenMs', { nullable: true, description: 'Milliseconds from request to the first token.' }),
    promptTokens: t.exposeInt('promptTokens', { nullable: true }),
    completionTokens: t.exposeInt('completionTokens', { nullable: true }),
    errorCode: t.exposeString('errorCode', {
      nullable: true,
      description: 'Stable code when status is FAILED (e.g. PROVIDER_ERROR, RATE_LIMITED, TIMEOUT, INTERRUPTED).',
    }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    variants: t.idList({
      description:
        "The variants of this message's turn, oldest first, itself among them: a reply's regenerations, or a question's edits " +
        '(its edit history). selectVariant shows another one; one entry when there are none.',
      resolve: async (m, _args, ctx) => (await ctx.app.branches.variantIds(m)).map((id) => encodeGlobalID('Message', id)),
    }),
    myFeedback: t.field({
      type: Feedback,
      nullable: true,
      description: "The viewer's rating of this reply, if they gave one.",
      resolve: (m, _args, ctx) => (m.role === 'BOT' ? ctx.app.feedback.mine(requireViewer(ctx), m.id) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

type EventOf<K extends SessionEvent['kind']> = Extract<SessionEvent, { kind: K }>;

const MessageAdded = builder.objectRef<EventOf<'MessageAdded'>>('MessageAdded').implement({
  fields: (t) => ({ message: t.field({ type: Message, resolve: (e) => e.message }) }),
});
const MessageDelta = builder.objectRef<EventOf<'MessageDelta'>>('MessageDelta').implement({
  fields: (t) => ({
    messageId: t.id({ resolve: (e) => encodeGlobalID('Message', e.messageId) }),
    seq: t.exposeInt('seq', { description: '1, 2, 3, … per message, without gaps.' }),
    text: t.exposeString('text'),
  }),
});
const MessageCompleted = builder.objectRef<EventOf<'MessageCompleted'>>('MessageCompleted').implement({
  fields: (t) => ({
    message: t.field({
      type: Message,
      description: 'The final bot message: status COMPLETE or CANCELLED, with its metrics.',
      resolve: (e) => e.message,
    }),
  }),
});
const MessageFailed = builder.objectRef<EventOf<'MessageFailed'>>('MessageFailed').implement({
  fields: (t) => ({
    messageId: t.id({ resolve: (e) => encodeGlobalID('Message', e.messageId) }),
    code: t.exposeString('code'),
    // Not "message": that name is a Message on the union's other members, and clashes in one selection.
    errorMessage: t.exposeString('message'),
  }),
});

const PathChanged = builder.objectRef<EventOf<'PathChanged'>>('PathChanged').implement({
  description:
    'The active path changed (a regenerated reply, an edited question, another variant shown): the messages after parentId ' +
    'are replaced; read the history again from there.',
  fields: (t) => ({
    sessionId: t.id({ resolve: (e) => encodeGlobalID('ChatSession', e.sessionId) }),
    parentId: t.id({ nullable: true, description: 'null: from the first message on.', resolve: (e) => (e.parentId ? encodeGlobalID('Message', e.parentId) : null) }),
  }),
});
const MessageDeleted = builder.objectRef<EventOf<'MessageDeleted'>>('MessageDeleted').implement({
  fields: (t) => ({ messageId: t.id({ resolve: (e) => encodeGlobalID('Message', e.messageId) }) }),
});

const SessionDeleted = builder.objectRef<EventOf<'SessionDeleted'>>('SessionDeleted').implement({
  description: 'The session was deleted: the last event before the server ends the subscription.',
  fields: (t) => ({ sessionId: t.id({ resolve: (e) => encodeGlobalID('ChatSession', e.sessionId) }) }),
});

export const SessionEventType = builder.unionType('SessionEvent', {
  types: [MessageAdded, MessageDelta, MessageCompleted, MessageFailed, PathChanged, MessageDeleted, SessionDeleted],
  resolveType: (event) => event.kind,
});

const SendMessagePayload = builder
  .objectRef<{ userMessage: typeof Message.$inferType; botMessage: typeof Message.$inferType }>('SendMessagePayload')
  .implement({
    fields: (t) => ({
      userMessage: t.field({ type: Message, resolve: (p) => p.userMessage }),
      botMessage: t.field({ type: Message, resolve: (p) => p.botMessage }),
    }),
  });

builder.mutationFields((t) => ({
  sendMessage: t.field({
    type: SendMessagePayload,
    description:
      "Saves the user's message and starts the bot's reply (streamed through sessionEvents).\n" +
      'The same clientMessageId twice returns the stored pair. With wait: true the response holds the finished reply.',
    args: {
      sessionId: t.arg.id({ required: true }),
      text: t.arg.string({ required: true }),
      clientMessageId: t.arg.string(),
      wait: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const sessionId = idOf(args.sessionId, 'ChatSession', 'Session');
      // Before the send limit, so a refused site does not use it up.
      const checked = await assertSessionAllowsOrigin(ctx, viewer, sessionId);
      await ctx.app.limits.guardSend(viewer);
      return ctx.app.messages.send(
        viewer,
        { sessionId, text: args.text, clientMessageId: args.clientMessageId, wait: args.wait ?? false },
        checked,
      );
    },
  }),
  cancelReply: t.field({
    type: Message,
    description: 'Stops a reply in progress; the partial text is kept and the status becomes CANCELLED.',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.app.messages.cancel(requireViewer(ctx), idOf(args.messageId, 'Message')),
  }),
  regenerateReply: t.field({
    type: Message,
    description:
      'A new reply to the same question, streamed through sessionEvents; the old reply stays as a variant (see Message.variants) ' +
      'with the turns that followed it.',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      await ctx.app.limits.guardSend(viewer);
      return ctx.app.messages.regenerate(viewer, idOf(args.messageId, 'Message'));
    },
  }),
  editMessage: t.field({
    type: SendMessagePayload,
    description:
      'Your question with new text and a new reply to it. The original stays as its earlier variant (the edit history), ' +
      'with the turns that followed it on their own branch.',
    args: { messageId: t.arg.id({ required: true }), text: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      await ctx.app.limits.guardSend(viewer);
      return ctx.app.messages.edit(viewer, idOf(args.messageId, 'Message'), args.text);
    },
  }),
  selectVariant: t.field({
    type: Message,
    description: 'Shows this variant of its turn, and the branch after it as it was last shown. Subscribers get PathChanged.',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.app.branches.select(requireViewer(ctx), idOf(args.messageId, 'Message')),
  }),
  deleteMessage: t.id({
    description: 'Hides the message everywhere and leaves it out of prompts (the turns around it stay).',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.app.branches.delete(requireViewer(ctx), idOf(args.messageId, 'Message'));
      return args.messageId;
    },
  }),
  retryReply: t.field({
    type: Message,
    description: 'Generates a FAILED or CANCELLED bot message again, in place.',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.app.messages.retry(requireViewer(ctx), idOf(args.messageId, 'Message')),
  }),
}));

builder.subscriptionField('sessionEvents', (t) =>
  t.field({
    type: SessionEventType,
    args: { sessionId: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const session = await ctx.app.sessions.find(requireViewer(ctx), idOf(args.sessionId, 'ChatSession', 'Session'));
      assertBotAllowsOrigin(ctx, session.bot);
      return untilSessionDeleted(ctx.app.pubsub.subscribe('sessionEvents', session.id));
    },
    resolve: (event) => event,
  }),
);
