// `npm start` runs the API from its build (api/dist/main.mjs, made by api/build.mjs), not from the
// sources under tsx like the other suites: that build must be a whole working server too.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server.ts';
import { SESSION_EVENTS, gqlOk, sseSubscribe } from './support/graphql-client.ts';
import { SEND, SESSION_MESSAGES, newChat } from './support/steps.ts';

describe('the API as npm start runs it (the esbuild bundle)', () => {
  let server: ApiServer;
  beforeAll(async () => {
    // Built from the sources as they are now, so this never tests a stale bundle.
    await promisify(execFile)(process.execPath, [path.resolve(import.meta.dirname, '../build.mjs')]);
    server = await startApiServer({ built: true, env: { NODE_ENV: 'development' } });
  });
  afterAll(() => server?.stop());

  it('serves a whole chat: sign-up, a streamed reply, history, memories', async () => {
    const chat = await newChat(server.graphqlUrl);
    const events = sseSubscribe(server.graphqlUrl, SESSION_EVENTS, { sessionId: chat.sessionId }, chat.token);
    await events.opened;
    const sent = await gqlOk(server.graphqlUrl, SEND, { s: chat.sessionId, t: 'Hello, my name is Grace', wait: true }, chat.token);
    expect(sent.sendMessage.botMessage).toMatchObject({ role: 'BOT', status: 'COMPLETE' });
    expect(sent.sendMessage.botMessage.text).toContain('offline');

    await events.until((e) => e.data?.sessionEvents?.__typename === 'MessageCompleted');
    const kinds = events.events.map((e) => e.data?.sessionEvents?.__typename);
    expect(kinds.slice(0, 2)).toEqual(['MessageAdded', 'MessageAdded']);
    expect(kinds).toContain('MessageDelta');
    events.close();

    const { session } = await gqlOk(server.graphqlUrl, SESSION_MESSAGES, { id: chat.sessionId }, chat.token);
    expect(session.messages.edges.map((e: any) => e.node.role)).toEqual(['USER', 'BOT']);
    const { memories } = await gqlOk(server.graphqlUrl, '{ memories { key value } }', {}, chat.token);
    expect(memories).toContainEqual(expect.objectContaining({ key: 'name', value: 'Grace' }));
  });

  it('serves GraphiQL and the widget script from the paths the sources find them at', async () => {
    const graphiql = await fetch(`${server.origin}/graphql`, { headers: { accept: 'text/html' } });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toContain('GraphiQL');
    const widget = await fetch(`${server.origin}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
  });
});
