// Query bombs are refused before they cost anything, with a stable code, and the server keeps
// answering ordinary requests while it refuses them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { registerUser } from '../support/graphql-client.ts';
import { postGraphql } from '../support/steps.ts';

let server: ApiServer;
let url: string;
let token: string;

beforeAll(async () => {
  server = await startApiServer();
  url = server.graphqlUrl;
  ({ accessToken: token } = await registerUser(url));
});
afterAll(() => server?.stop());

const MAX_REQUEST_BYTES = 100_000; // the default
const nested = (depth: number) => {
  let selection = 'name';
  for (let i = 0; i < depth; i++) selection = `ofType { ${selection} }`;
  return `{ __type(name: "Query") { fields { type { ${selection} } } } }`;
};
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
// Just under the request size limit, far over the token limit.
const tokenFlood = `{ ${'__typename '.repeat(Math.floor((MAX_REQUEST_BYTES - 200) / 11))} }`;

describe('query bombs are refused fast with a code', () => {
  it.each([
    ['deep nesting', nested(30)],
    ['1,000 aliases', aliases(1000)],
    ['25 aliases (over the alias limit, under the token limit)', aliases(25)],
    ['a flood of tokens just under the size limit', tokenFlood],
    ['30 directives', `{ me { id ${'@include(if: true) '.repeat(30)} } }`],
  ])('%s → QUERY_TOO_COMPLEX', async (_, query) => {
    const response = await postGraphql(url, { query }, { authorization: `Bearer ${token}` });
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX' } })]);
    expect(response.body.errors[0].message).toMatch(/^The operation is too complex: .* limit of \d+ exceeded/);
    expect(response.ms).toBeLessThan(2000);
  });

  it('a document larger than the request limit → 413 PAYLOAD_TOO_LARGE, declared or streamed', async () => {
    const huge = JSON.stringify({ query: `{ me { id } }`, variables: { padding: 'x'.repeat(MAX_REQUEST_BYTES) } });
    const declared = await postGraphql(url, huge);
    expect(declared.status).toBe(413);
    expect(declared.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE' });

    // Chunked: no Content-Length to check up front; the server stops reading at the limit.
    const bytes = new TextEncoder().encode(huge);
    const streamed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('a streamed request under the limit still works', async () => {
    const body = new TextEncoder().encode(JSON.stringify({ query: '{ me { email } }' }));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(body);
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect((await response.json()).data.me.email).toMatch(/@example\.com$/);
  });

  it('the server answers a normal query promptly while bombs keep arriving', async () => {
    let bombing = true;
    const bombs = [nested(30), aliases(1000), tokenFlood];
    const bomber = async () => {
      let refused = 0;
      for (let i = 0; bombing; i++) {
        const response = await postGraphql(url, { query: bombs[i % bombs.length] });
        expect(response.body.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
        refused++;
      }
      return refused;
    };
    const bombers = Array.from({ length: 6 }, bomber);
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await postGraphql(url, { query: '{ me { id email } }' }, { authorization: `Bearer ${token}` });
      expect(response.body.data.me.email).toMatch(/@example\.com$/);
      latencies.push(response.ms);
    }
    bombing = false;
    const refused = (await Promise.all(bombers)).reduce((a, b) => a + b, 0);
    expect(refused).toBeGreaterThanOrEqual(6);
    // Generous bounds: this must hold on a busy CI machine, where a bomb-free query can take a few hundred ms.
    const median = latencies.sort((x, y) => x - y)[latencies.length / 2];
    expect(median).toBeLessThan(1000);
    expect(Math.max(...latencies)).toBeLessThan(3000);
  });
});
