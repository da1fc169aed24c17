// The baseline for streaming: a bare node:http server relaying the fake provider's tokens to its
// client as Server-Sent Events, one event per token. No GraphQL, no database, no pub/sub, no
// coalescing: the least any server must do to stream the same tokens.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL('/openai/v1/chat/completions', process.argv[2]);
const agent = new http.Agent({ keepAlive: true });

const server = http.createServer((req, res) => {
  const body = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'hi' }], stream: true });
  const up = http.request(
    { agent, host: upstream.hostname, port: upstream.port, path: upstream.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
    (upRes) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      upRes.setEncoding('utf8');
      let buffer = '';
      upRes.on('data', (chunk: string) => {
        buffer += chunk;
        let start = 0;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n', start)) {
          const line = buffer.slice(start, end);
          start = end + 2;
          if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
          const text = JSON.parse(line.slice(6)).choices?.[0]?.delta?.content;
          if (text) res.write(`event: next\ndata: ${JSON.stringify({ text })}\n\n`);
        }
        buffer = buffer.slice(start);
      });
      upRes.on('end', () => res.end('event: complete\ndata:\n\n'));
    },
  );
  up.on('error', () => res.destroy());
  up.end(body);
  req.resume();
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
