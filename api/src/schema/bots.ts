import { canEdit } from '../chat/bots.ts';
import { builder, idOf, idOrNull, requestOrigin, requireViewer } from './builder.ts';

export const Bot = builder.prismaNode('Bot', {
  id: { field: 'id' },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    avatar: t.exposeString('avatar'),
    model: t.exposeString('model'),
    systemPrompt: t.exposeString('systemPrompt'),
    temperature: t.exposeFloat('temperature'),
    topP: t.exposeFloat('topP', { nullable: true, description: "Nucleus sampling (0..1]; null: the provider's default." }),
    welcome: t.exposeString('welcome', { description: 'Shown on an empty chat; empty: none.' }),
    starters: t.stringList({
      description: 'Up to 4 prompts offered on an empty chat.',
      resolve: (bot) => JSON.parse(bot.starters) as string[],
    }),
    settings: t.field({ type: 'JSON', resolve: (bot) => JSON.parse(bot.settings) }),
    isSystem: t.boolean({
      description: 'True for the shared system bots (Support, Tutor, Fun).',
      resolve: (bot) => bot.ownerId === null,
    }),
    editable: t.boolean({
      description: 'True when the viewer may update or delete this bot.',
      resolve: (bot, _args, ctx) => canEdit(ctx.viewer, bot),
    }),
    disabled: t.boolean({
      description: 'Disabled by an admin: hidden from lists, refuses new messages.',
      resolve: (bot) => bot.disabledAt !== null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const BotInput = builder.inputType('BotInput', {
  fields: (t) => ({
    name: t.string(),
    description: t.string(),
    avatar: t.string(),
    model: t.string(),
    systemPrompt: t.string(),
    temperature: t.float({ description: '0..2' }),
    topP: t.float({ description: '(0..1]' }),
    welcome: t.string({ description: 'Up to 500 characters.' }),
    starters: t.stringList({ description: 'Up to 4 prompts of up to 200 characters.' }),
    settings: t.field({ type: 'JSON' }),
  }),
});

builder.queryFields((t) => ({
  bots: t.prismaField({
    type: ['Bot'],
    description: "System bots and the viewer's own bots.",
    resolve: async (query, _root, _args, ctx) => ctx.app.bots.list(requireViewer(ctx), await ctx.site(), query),
  }),
  bot: t.prismaField({
    type: 'Bot',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const id = idOrNull(args.id, 'Bot');
      return id ? ctx.app.bots.get(viewer, id, query) : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  createBot: t.field({
    type: Bot,
    args: { input: t.arg({ type: BotInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const bot = await ctx.app.bots.create(requireViewer(ctx), args.input);
      await ctx.app.audit.record(requestOrigin(ctx), { action: 'bot.created', target: { type: 'Bot', id: bot.id } });
      return bot;
    },
  }),
  updateBot: t.field({
    type: Bot,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: BotInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const bot = await ctx.app.bots.update(requireViewer(ctx), idOf(args.id, 'Bot'), args.input);
      const fields = Object.keys(args.input).filter((key) => args.input[key as keyof typeof args.input] != null);
      await ctx.app.audit.record(requestOrigin(ctx), { action: 'bot.updated', target: { type: 'Bot', id: bot.id }, details: { fields } });
      return bot;
    },
  }),
  deleteBot: t.id({
    description: 'Deletes the bot and its sessions; replies streaming in them stop.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = idOf(args.id, 'Bot');
      await ctx.app.bots.delete(requireViewer(ctx), id);
      await ctx.app.audit.record(requestOrigin(ctx), { action: 'bot.deleted', target: { type: 'Bot', id } });
      return args.id;
    },
  }),
}));
