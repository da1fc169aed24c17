import { GraphQLError } from 'graphql';
import { type AuthResult, registration } from '../auth/auth-service.ts';
import { parseInput } from '../chat/validation.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { normalizeEmail } from '../auth/email.ts';
import type { Usage } from '../chat/quotas.ts';
import { builder, type Context, optionalViewer, requestOrigin } from './builder.ts';

export const User = builder.prismaNode('User', {
  id: { field: 'id' },
  fields: (t) => ({
    email: t.exposeString('email', { nullable: true, description: 'Null for guests and for users a host site signed in.' }),
    name: t.exposeString('name', { nullable: true, description: 'How the host site names its user; null for accounts and guests.' }),
    role: t.expose('role', { type: Role }),
    disabled: t.boolean({ description: 'Disabled by an admin: no sign-in works.', resolve: (user) => user.disabledAt !== null }),
    usage: t.field({
      type: UsageRef,
      nullable: true,
      description: "Today's messages and tokens against the daily quota; only for the user themselves and admins.",
      resolve: (user, _args, ctx) => {
        const viewer = optionalViewer(ctx);
        return viewer && (viewer.userId === user.id || viewer.role === 'ADMIN') ? ctx.app.quotas.usage({ ...viewer, userId: user.id }) : null;
      },
    }),
    quotaOverride: t.field({
      type: QuotaRef,
      nullable: true,
      description: "This user's own quota (admins only; null fields: the site's or the role's default).",
      resolve: (user, _args, ctx) =>
        optionalViewer(ctx)?.role === 'ADMIN' ? { messagesPerDay: user.quotaMessagesPerDay, tokensPerDay: user.quotaTokensPerDay } : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const Role = builder.enumType('Role', { values: ['GUEST', 'USER', 'ADMIN'] as const });

export const QuotaRef = builder.objectRef<{ messagesPerDay: number | null; tokensPerDay: number | null }>('Quota').implement({
  description: 'Daily limits; a null field means no override at this level.',
  fields: (t) => ({
    messagesPerDay: t.exposeInt('messagesPerDay', { nullable: true }),
    tokensPerDay: t.exposeInt('tokensPerDay', { nullable: true }),
  }),
});

const UsageLimits = builder.objectRef<NonNullable<Usage['limits']>>('UsageLimits').implement({
  fields: (t) => ({ messagesPerDay: t.exposeInt('messagesPerDay'), tokensPerDay: t.exposeInt('tokensPerDay') }),
});

const UsageRef = builder.objectRef<Usage>('Usage').implement({
  description: 'What a user spent today (UTC). Messages count when sent; a reply\'s tokens when it ends.',
  fields: (t) => ({
    messagesToday: t.exposeInt('messagesToday'),
    tokensToday: t.exposeInt('tokensToday'),
    limits: t.field({ type: UsageLimits, nullable: true, description: 'Null: no quota (admins).', resolve: (usage) => usage.limits }),
    resetsAt: t.expose('resetsAt', { type: 'DateTime' }),
  }),
});

export const AuthPayload = builder.objectRef<AuthResult>('AuthPayload').implement({
  description: 'Payload of register, login, refreshToken, startGuest and signInWithIdentity.',
  fields: (t) => ({
    accessToken: t.exposeString('accessToken', { description: 'Short-lived bearer token for the Authorization header.' }),
    accessTokenExpiresAt: t.expose('accessTokenExpiresAt', { type: 'DateTime' }),
    refreshToken: t.exposeString('refreshToken', {
      description: 'Opaque, single-use: exchange it with refreshToken for a new pair.',
    }),
    refreshTokenExpiresAt: t.expose('refreshTokenExpiresAt', { type: 'DateTime' }),
    user: t.prismaField({
      type: 'User',
      resolve: async (query, result, _args, ctx) => (await ctx.app.auth.user(result.userId, query)) ?? Promise.reject(unauthenticated('This account no longer exists.')),
    }),
  }),
});

builder.queryField('me', (t) =>
  // A plain field, not a prismaField: the viewer check has read the user's row already, so there is
  // no query to plan (Pothos' planner cost ~3% of an authenticated `me`). Relations, should User
  // ever expose one, are loaded by the Prisma plugin's fallback from the row's id.
  t.field({
    type: User,
    nullable: true,
    description: 'The signed-in user, or null.',
    resolve: (_root, _args, ctx) => {
      const viewer = optionalViewer(ctx);
      return viewer ? ctx.app.auth.me(viewer) : null;
    },
  }),
);

builder.mutationFields((t) => ({
  register: t.field({
    type: AuthPayload,
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    description: 'Creates an account. Sent with a guest\'s token, the guest\'s chats move to the new account.',
    resolve: async (_root, args, ctx) => {
      await accountsAllowed(ctx);
      await ctx.app.limits.guardRegister(ctx.ip);
      return keepGuestChats(ctx, await ctx.app.auth.register(parseInput(registration, args)));
    },
  }),
  login: t.field({
    type: AuthPayload,
    description: 'Signs in to an account. Sent with a guest\'s token, the guest\'s chats move to the account.',
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await accountsAllowed(ctx);
      const origin = requestOrigin(ctx, normalizeEmail(args.email).slice(0, 254));
      let result: AuthResult;
      try {
        result = await ctx.app.limits.guardLogin(ctx.ip, args.email, () => ctx.app.auth.login(args));
      } catch (error) {
        await ctx.app.audit.record({ ...origin, actor: null }, { action: 'auth.login_failed', details: { code: codeOf(error) } });
        throw error;
      }
      await ctx.app.audit.record({ ...origin, actor: { userId: result.userId } }, { action: 'auth.login', target: { type: 'User', id: result.userId } });
      return keepGuestChats(ctx, result);
    },
  }),
  refreshToken: t.field({
    type: AuthPayload,
    description: 'Rotates the refresh token: the old one stops working; reusing it revokes the family.',
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.app.auth.refresh(args.refreshToken),
  }),
  logout: t.boolean({
    description: "Revokes the refresh token's whole family (this device).",
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.app.auth.logout(args.refreshToken);
      return true;
    },
  }),
}));

/** A site may turn e-mail and password sign-in off (its users sign in through the host site). */
async function accountsAllowed(ctx: Context): Promise<void> {
  if (ctx.siteError) throw ctx.siteError;
  if (!(await ctx.site()).allowAccounts) throw forbidden('This site signs its users in itself; e-mail sign-in is off.');
}

/** A guest who signs in to an account keeps every chat: they move over and the guest ends. */
async function keepGuestChats(ctx: Context, result: AuthResult): Promise<AuthResult> {
  if (ctx.viewer?.role === 'GUEST') await ctx.app.guests.adopt(ctx.viewer, result.userId);
  return result;
}

const codeOf = (error: unknown) => (error instanceof GraphQLError ? error.extensions.code : undefined) ?? 'INTERNAL_SERVER_ERROR';
