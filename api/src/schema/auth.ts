import { type AuthResult, registration } from '../auth/auth-service.ts';
import { parseInput } from '../chat/validation.ts';
import { unauthenticated } from '../errors.ts';
import { builder } from './builder.ts';

export const User = builder.prismaNode('User', {
  id: { field: 'id' },
  fields: (t) => ({
    email: t.exposeString('email'),
    role: t.expose('role', { type: Role }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const Role = builder.enumType('Role', { values: ['USER', 'ADMIN'] as const });

const AuthPayload = builder.objectRef<AuthResult>('AuthPayload').implement({
  description: 'Payload of register, login and refreshToken.',
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
  t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The signed-in user, or null.',
    resolve: (query, _root, _args, ctx) => {
      if (ctx.authError) throw ctx.authError;
      return ctx.viewer ? ctx.app.auth.user(ctx.viewer.userId, query) : null;
    },
  }),
);

builder.mutationFields((t) => ({
  register: t.field({
    type: AuthPayload,
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.app.limits.guardRegister(ctx.ip);
      return ctx.app.auth.register(parseInput(registration, args));
    },
  }),
  login: t.field({
    type: AuthPayload,
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.app.limits.guardLogin(ctx.ip, args.email, () => ctx.app.auth.login(args)),
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
