#!/usr/bin/env node
// The demo host page: a small third-party shop that embeds <multi-bot-chat> from the API's origin,
// served from another origin (port 5173 vs 4000) to prove cross-origin embedding. Plain node:http.
//
//   DEMO_PORT=5173 API_ORIGIN=http://localhost:4000 node server.mjs
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };
const files = new Set(['/index.html', '/style.css', '/events.js']);

/**
 * Starts the demo server. `apiOrigin` is where the page loads widget.js from (and so the API the
 * widget talks to). Resolves once listening; `port: 0` picks a free port.
 */
export async function startDemoServer({ port = 5173, apiOrigin = 'http://localhost:4000', host = '127.0.0.1' } = {}) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    const file = path === '/' ? '/index.html' : path;
    if (!files.has(file) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    let body = await readFile(join(here, file), 'utf8');
    if (file === '/index.html') body = body.replaceAll('%API_ORIGIN%', apiOrigin);
    res.writeHead(200, { 'content-type': types[extname(file)], 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${server.address().port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.DEMO_PORT ?? 5173);
  const apiOrigin = process.env.API_ORIGIN ?? 'http://localhost:4000';
  try {
    const { url } = await startDemoServer({ port, apiOrigin, host: process.env.DEMO_HOST ?? 'localhost' });
    console.log(`Demo page on ${url} (widget from ${apiOrigin})`);
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    console.error(`✗ Port ${port} (the demo page) is in use by another program. Choose another: DEMO_PORT=${port + 1}`);
    process.exit(1);
  }
}
