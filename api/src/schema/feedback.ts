import { builder, idOf, requireViewer } from './builder.ts';

const FeedbackRating = builder.enumType('FeedbackRating', { values: ['UP', 'DOWN'] as const });

export const Feedback = builder.prismaObject('MessageFeedback', {
  name: 'Feedback',
  description: "A user's 👍/👎 on a bot reply, with an optional reason.",
  fields: (t) => ({
    rating: t.expose('rating', { type: FeedbackRating }),
    reason: t.exposeString('reason', { nullable: true }),
    message: t.relation('message', { description: 'The rated reply.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('botFeedback', (t) =>
  t.prismaConnection({
    type: 'MessageFeedback',
    cursor: 'id',
    description: "Ratings of a bot's replies, newest first: for the bot's owner, and for admins on system bots.",
    args: { botId: t.arg.id({ required: true }), rating: t.arg({ type: FeedbackRating }) },
    resolve: (query, _root, args, ctx) =>
      ctx.app.feedback.forBot(requireViewer(ctx), idOf(args.botId, 'Bot'), args.rating ?? null, query),
  }),
);

builder.mutationFields((t) => ({
  setFeedback: t.field({
    type: Feedback,
    description: 'Rates a bot reply in one of your chats, or changes your rating (one per reply).',
    args: {
      messageId: t.arg.id({ required: true }),
      rating: t.arg({ type: FeedbackRating, required: true }),
      reason: t.arg.string({ description: 'Why, in up to 1000 characters; empty or null: no reason.' }),
    },
    resolve: (_root, args, ctx) => ctx.app.feedback.set(requireViewer(ctx), idOf(args.messageId, 'Message'), args.rating, args.reason),
  }),
  removeFeedback: t.id({
    description: 'Takes your rating of a reply back.',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.app.feedback.remove(requireViewer(ctx), idOf(args.messageId, 'Message'));
      return args.messageId;
    },
  }),
}));
