import { builder, idOf, requireViewer } from './builder.ts';
import { notFound } from '../errors.ts';

builder.prismaNode('UserMemory', {
  name: 'Memory',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, userId: ctx.viewer?.userId ?? '' }),
  fields: (t) => ({
    bot: t.relation('bot'),
    key: t.exposeString('key'),
    value: t.exposeString('value'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('memories', (t) =>
  t.prismaField({
    type: ['UserMemory'],
    description: 'What the bots remember about the viewer, optionally for one bot.',
    args: { botId: t.arg.id() },
    resolve: (query, _root, args, ctx) =>
      ctx.app.db.userMemory.findMany({
        ...query,
        where: { userId: requireViewer(ctx).userId, ...(args.botId ? { botId: idOf(args.botId, 'Bot') } : {}) },
        orderBy: [{ botId: 'asc' }, { key: 'asc' }],
      }),
  }),
);

builder.mutationField('deleteMemory', (t) =>
  t.id({
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const { count } = await ctx.app.db.userMemory.deleteMany({
        where: { id: idOf(args.id, 'Memory'), userId: requireViewer(ctx).userId },
      });
      if (count === 0) throw notFound('Memory');
      return args.id;
    },
  }),
);
