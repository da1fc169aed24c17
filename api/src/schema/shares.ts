import { SHARE_PATH } from '../http/share-page.ts';
import { builder, idOf, requireViewer } from './builder.ts';
import { ChatSession } from './sessions.ts';
import type { Context } from './builder.ts';

const urlOf = (ctx: Context, token: string) => new URL(`${SHARE_PATH}${token}`, ctx.request.url).href;

const ChatShare = builder.prismaObject('ChatShare', {
  description: 'A read-only link to a chat as it stood when shared (a snapshot). Anyone with the URL can read it, until it is revoked.',
  fields: (t) => ({
    url: t.string({ resolve: (share, _args, ctx) => urlOf(ctx, share.token) }),
    title: t.exposeString('title'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectField(ChatSession, 'share', (t) =>
  t.field({
    type: ChatShare,
    nullable: true,
    description: "The chat's read-only link, if it is shared.",
    resolve: (session, _args, ctx) => ctx.app.shares.ofSession(requireViewer(ctx), session.id),
  }),
);

builder.mutationFields((t) => ({
  shareSession: t.field({
    type: ChatShare,
    description: 'A read-only link to the chat as it stands now. Sharing again replaces the snapshot, and the earlier link stops working.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.app.shares.share(requireViewer(ctx), idOf(args.id, 'ChatSession', 'Session')),
  }),
  unshareSession: t.boolean({
    description: "Revokes the chat's link at once; false when it had none.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.app.shares.unshare(requireViewer(ctx), idOf(args.id, 'ChatSession', 'Session')),
  }),
}));
