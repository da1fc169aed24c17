import { assertBotIdAllowsOrigin } from '../origins.ts';
import { builder, idOf, idOrNull, requireViewer } from './builder.ts';

export const ChatSession = builder.prismaNode('ChatSession', {
  id: { field: 'id' },
  fields: (t) => ({
    bot: t.relation('bot'),
    clientId: t.exposeString('clientId', { nullable: true }),
    title: t.exposeString('title'),
    model: t.exposeString('model', { nullable: true, description: "The model this chat uses instead of its bot's; null: the bot's." }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime' }),
    // Its own query with the cursor as a range condition (SessionService.history), not Prisma's
    // nested include or `cursor` argument: with the query compiler both read the whole history and
    // page it in memory (a nested relation ignores take in SQL; cursor + negative take runs with
    // LIMIT -1), which made the newest page of a 100,000-message session take seconds. Message has
    // no relations, so the query argument holds only the page size and cursor.
    messages: t.prismaConnection({
      type: 'Message',
      cursor: 'id',
      resolve: (query, session, _args, ctx) =>
        ctx.app.sessions.history(session.id, query.take ?? 0, query.cursor ? String(query.cursor.id) : undefined),
    }),
  }),
});

builder.queryFields((t) => ({
  sessions: t.prismaConnection({
    type: 'ChatSession',
    cursor: 'id',
    description: "The viewer's sessions, newest activity first.",
    args: { botId: t.arg.id() },
    resolve: (query, _root, args, ctx) => ctx.app.sessions.list(requireViewer(ctx), args.botId ? idOf(args.botId, 'Bot') : null, query),
  }),
  session: t.prismaField({
    type: 'ChatSession',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const id = idOrNull(args.id, 'ChatSession');
      return id ? ctx.app.sessions.get(viewer, id, query) : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  createSession: t.field({
    type: ChatSession,
    description: 'Idempotent per (viewer, clientId): creating again with the same clientId returns the same session.',
    args: { botId: t.arg.id({ required: true }), clientId: t.arg.string(), title: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const botId = idOf(args.botId, 'Bot');
      const checked = await assertBotIdAllowsOrigin(ctx, viewer, botId);
      return ctx.app.sessions.create(viewer, { ...args, botId }, await ctx.site(), checked);
    },
  }),
  renameSession: t.field({
    type: ChatSession,
    args: { id: t.arg.id({ required: true }), title: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.app.sessions.rename(requireViewer(ctx), idOf(args.id, 'ChatSession', 'Session'), args.title),
  }),
  setSessionModel: t.field({
    type: ChatSession,
    description: "Makes the chat use one of the models the provider offers (see models); null goes back to the bot's.",
    args: { id: t.arg.id({ required: true }), model: t.arg.string() },
    resolve: (_root, args, ctx) =>
      ctx.app.models.chooseForSession(requireViewer(ctx), idOf(args.id, 'ChatSession', 'Session'), args.model ?? null),
  }),
  forkSession: t.field({
    type: ChatSession,
    description: 'A new chat with the same bot holding the conversation up to this message (the path it is on).',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.app.branches.fork(requireViewer(ctx), idOf(args.messageId, 'Message')),
  }),
  deleteSession: t.id({
    description: 'Deletes the session and its messages; a reply streaming in it stops and its subscribers get SessionDeleted.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.app.sessions.delete(requireViewer(ctx), idOf(args.id, 'ChatSession', 'Session'));
      return args.id;
    },
  }),
}));
