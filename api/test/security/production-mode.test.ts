// NODE_ENV=production: no start without a strong JWT secret; the schema is not on display unless
// the operator says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../src/config.ts';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { postGraphql } from '../support/steps.ts';

const STRONG_SECRET = 'k3J9-vQ2x_Lm8Zr1Tn6Wp4Ys7Hd0Fb5Gc';

describe('production refuses to start without a strong JWT_SECRET', () => {
  // The exit code (78) and the printing of these lines are checked in test/config.test.ts.
  it('reports every problem at once, one line each', () => {
    let problems: string[] = [];
    try {
      loadConfig({ NODE_ENV: 'production', PERSISTED_OPERATIONS_ONLY: 'true', TRUST_PROXY: 'sometimes' });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems.sort()).toEqual([
      'JWT_SECRET is required when NODE_ENV=production',
      'PERSISTED_OPERATIONS_ONLY needs PERSISTED_OPERATIONS_FILE',
      'TRUST_PROXY true, false or a number of proxy hops',
    ]);
  });

  it.each([
    ['short', 'Sh0rt-but-random'],
    ['a well-known default', 'changeme'],
    ['long but made of few characters', 'abababababababababababababababababab'],
  ])('refuses a secret that is %s', (_, secret) => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret })).toThrow(/JWT_SECRET is too weak/);
  });

  it('accepts 32+ random characters', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET }).env).toBe('production');
  });
});

describe('introspection and GraphiQL', () => {
  it('are on in development and off in production unless INTROSPECTION / GRAPHIQL say otherwise', () => {
    const http = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/mbc-production-test', ...env }).http;
    expect(http({})).toMatchObject({ introspection: true, graphiql: true });
    expect(http({ NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET })).toMatchObject({ introspection: false, graphiql: false });
    expect(http({ NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, INTROSPECTION: 'true', GRAPHIQL: 'true' })).toMatchObject({ introspection: true, graphiql: true });
    expect(http({ INTROSPECTION: 'false', GRAPHIQL: 'false' })).toMatchObject({ introspection: false, graphiql: false });
  });

  describe('a production server', () => {
    let closed: ApiServer;
    let opened: ApiServer;
    beforeAll(async () => {
      const production = { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET };
      [closed, opened] = await Promise.all([
        startApiServer({ env: production }),
        startApiServer({ env: { ...production, INTROSPECTION: 'true', GRAPHIQL: 'true' } }),
      ]);
    });
    afterAll(() => Promise.all([closed?.stop(), opened?.stop()]));

    const graphiql = (server: ApiServer) => fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });

    it('by default answers introspection with GRAPHQL_VALIDATION_FAILED, gives no field suggestions, and serves no GraphiQL', async () => {
      const introspection = await postGraphql(closed.graphqlUrl, { query: '{ __schema { types { name } } }' });
      expect(introspection.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(introspection.body.data).toBeUndefined();

      const typo = await postGraphql(closed.graphqlUrl, { query: '{ mee { id } }' });
      expect(typo.body.errors[0].message).not.toMatch(/Did you mean/);

      const page = await graphiql(closed);
      expect(String(page.headers.get('content-type'))).not.toContain('text/html');
      expect((await postGraphql(closed.graphqlUrl, { query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
    });

    it('with INTROSPECTION=true and GRAPHIQL=true shows both', async () => {
      const introspection = await postGraphql(opened.graphqlUrl, { query: '{ __schema { queryType { name } } }' });
      expect(introspection.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
      const page = await graphiql(opened);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('multi-bot-chat API');
    });
  });
});
