// The baseline for one authenticated GraphQL request: a bare graphql-yoga server (Yoga's defaults,
// logging off) that checks the same HS256 access token with jose as the API does (algorithm,
// issuer, audience, required claims) and answers `me { id email }` from memory. No database, no
// plugins of ours, no log line: the least a GraphQL server must do for the same request.
// Started by startBareGraphqlServer() (lib/api.ts), in a process of its own.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { BENCH_JWT_SECRET, ISSUER, requireFrom } from './api.ts';

const load = <T>(pkg: string): Promise<T> => import(pathToFileURL(requireFrom('api').resolve(pkg)).href);
const { createYoga, createSchema } = await load<typeof import('graphql-yoga')>('graphql-yoga');
const { jwtVerify } = await load<typeof import('jose')>('jose');

const secret = new TextEncoder().encode(BENCH_JWT_SECRET);
const users = new Map<string, { id: string; email: string }>();
const userFor = (id: string) => users.get(id) ?? users.set(id, { id, email: `${id}@example.com` }).get(id)!;

const yoga = createYoga<object, { userId: string | null }>({
  schema: createSchema({
    typeDefs: 'type User { id: ID! email: String }\ntype Query { me: User }',
    resolvers: { Query: { me: (_root: unknown, _args: unknown, ctx: { userId: string | null }) => (ctx.userId ? userFor(ctx.userId) : null) } },
  }),
  logging: false,
  landingPage: false,
  graphiql: false,
  context: async ({ request }) => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (!token) return { userId: null };
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: ISSUER, requiredClaims: ['sub', 'exp', 'iat'] });
    return { userId: payload.sub ?? null };
  },
});

const server = http.createServer(yoga);
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
