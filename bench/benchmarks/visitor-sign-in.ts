// #10 A site's visitors signing in without a password: the p50 of a guest start and of a sign-in
// with the host site's identity token, beside a `me` query, one request at a time. Neither path
// runs bcrypt (the API runs at bcrypt cost 12 here, where one hash takes ~250 ms: any bcrypt on
// these paths would show at once).
import { gqlBody, startBenchApi, usersWithSessions } from '../lib/api.ts';
import { closedLoop } from '../lib/http.ts';
import { log, runBenchmark } from '../lib/result.ts';
import { round, summarize } from '../lib/stats.ts';
// @ts-expect-error plain ESM without types: the demo shop's signer, as a site's server uses it
import { signIdentityToken } from '../../demo/identity-token.mjs';

const DURATION_MS = Number(process.env.BENCH_VISITOR_MS ?? 4000);
const IDENTITY_SECRET = 'bench-demo-identity-secret-0123456789abcdef';
const PAYLOAD = 'accessToken refreshToken user { id role }';

await runBenchmark('10', 'Visitor sign-in (guest, identity token)', async () => {
  const api = await startBenchApi({
    env: { BCRYPT_COST: '12', DEMO_IDENTITY_SECRET: IDENTITY_SECRET, RATE_LIMIT_GUEST_STARTS_PER_IP: '100000000' },
  });
  try {
    const [user] = await usersWithSessions(api.graphqlUrl, 1, 1);
    const me = gqlBody('query Me { me { id email } }');
    const guest = gqlBody(`mutation StartGuest { startGuest { ${PAYLOAD} } }`);
    const identity = (n: number) =>
      gqlBody(`mutation SignIn($t: String!) { signInWithIdentity(token: $t) { ${PAYLOAD} } }`, {
        // A new token each time (one use per jti), for a handful of customers.
        t: signIdentityToken({ secret: IDENTITY_SECRET, site: 'pk_demo_shop', sub: `customer-${n % 50}`, name: `Customer ${n % 50}` }),
      });
    const paths = {
      me: () => ({ path: '/graphql', body: me, headers: { authorization: `Bearer ${user.token}` } }),
      guest: () => ({ path: '/graphql', body: guest, headers: { 'x-mbc-site': 'pk_demo_guests' } }),
      identity: (_worker: number, n: number) => ({ path: '/graphql', body: identity(n), headers: { 'x-mbc-site': 'pk_demo_shop' } }),
    };
    const results = {} as Record<keyof typeof paths, ReturnType<typeof summarize> & { rps: number }>;
    for (const [name, request] of Object.entries(paths) as Array<[keyof typeof paths, (w: number, n: number) => { path: string; body: string; headers: Record<string, string> }]>) {
      const run = await closedLoop({ url: api.graphqlUrl, concurrency: 1, warmupMs: 500, durationMs: DURATION_MS, request });
      if (run.errors) throw new Error(`${name}: ${run.errors} errors, first: ${run.firstError}`);
      results[name] = { ...summarize(run.latenciesMs), rps: run.rps };
      log(`${name}: p50 ${results[name].p50.toFixed(2)} ms, p99 ${results[name].p99.toFixed(2)} ms, ${run.completed} requests`);
    }
    const row = (id: string, name: keyof typeof paths, measure: string) => ({
      id,
      measure,
      value: round(results[name].p50, 2),
      unit: 'ms',
      goal: name === 'me' ? '— (baseline)' : '< 50 ms (no bcrypt)',
      baseline: name === 'me' ? null : { value: round(results.me.p50, 2), unit: 'ms', label: '`me` p50' },
      ratio: name === 'me' ? null : round(results[name].p50 / results.me.p50, 2),
      pass: name === 'me' ? null : results[name].p50 < 50,
      notes: `p99 ${round(results[name].p99, 2)} ms; one request at a time for ${DURATION_MS / 1000} s; bcrypt cost 12 on the server`,
    });
    return {
      rows: [
        row('10a', 'me', '`me` query p50 (a signed-in request, for scale)'),
        row('10b', 'guest', 'startGuest p50 (a new guest of pk_demo_guests)'),
        row('10c', 'identity', 'signInWithIdentity p50 (HS256 token, new jti each time, 50 customers)'),
      ],
      details: results,
    };
  } finally {
    await api.stop();
  }
});
