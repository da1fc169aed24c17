#!/usr/bin/env node
// The demo host page: a small third-party shop that embeds <multi-bot-chat> from the API's origin,
// served from another origin (port 5173 vs 4000) to prove cross-origin embedding. Plain node:http.
// Three pages, one per kind of visitor: / (accounts), /shop.html (the shop's own login, which signs
// identity tokens for the chat: shop.mjs) and /guests.html (guests, in a bubble behind launcher.js).
//
//   DEMO_PORT=5173 API_ORIGIN=http://localhost:4000 DEMO_IDENTITY_SECRET=… node server.mjs
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Shop } from './shop.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };
const files = new Set(['/index.html', '/shop.html', '/guests.html', '/style.css', '/events.js']);
const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The shop header's account corner and the account page's text, for the signed-in customer or nobody. */
function accountParts(customer, failed) {
  if (customer) {
    return {
      '%ACCOUNT%': `<form class="shop-account" method="post" action="/shop/logout"><span>Hello, ${escape(customer.name)}</span> <button>Sign out</button></form>`,
      '%ACCOUNT_TEXT%': `<p class="lede">Signed in to the shop as ${escape(customer.name)}. Ask Support about your orders: the chat knows it is you.</p>`,
    };
  }
  return {
    '%ACCOUNT%': `<form class="shop-account" method="post" action="/shop/login" aria-label="Shop sign-in">
        <label>Name <input name="username" value="ana" autocomplete="username" /></label>
        <label>Password <input name="password" type="password" value="coffee" autocomplete="current-password" /></label>
        <button>Sign in</button></form>`,
    '%ACCOUNT_TEXT%': `<p class="lede">${failed ? 'That name and password do not match. ' : ''}Sign in to the shop (ana or ben, password coffee) and the chat knows who you are.</p>`,
  };
}

/**
 * Starts the demo server. `apiOrigin` is where the page loads widget.js from (and so the API the
 * widget talks to). Resolves once listening; `port: 0` picks a free port.
 */
export async function startDemoServer({ port = 5173, apiOrigin = 'http://localhost:4000', host = '127.0.0.1', identitySecret = '' } = {}) {
  const shop = new Shop(identitySecret);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const path = url.pathname;
    if (await shop.handle(req, res, path)) return;
    const file = path === '/' ? '/index.html' : path;
    if (!files.has(file) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    let body = await readFile(join(here, file), 'utf8');
    if (file.endsWith('.html')) body = body.replaceAll('%API_ORIGIN%', apiOrigin);
    if (file === '/shop.html') {
      for (const [mark, html] of Object.entries(accountParts(shop.customer(req), url.searchParams.has('failed')))) body = body.replace(mark, html);
    }
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
  const identitySecret = process.env.DEMO_IDENTITY_SECRET ?? '';
  if (!identitySecret) console.warn('DEMO_IDENTITY_SECRET is not set: the shop page cannot sign its customers in to the chat.');
  try {
    const { url } = await startDemoServer({ port, apiOrigin, host: process.env.DEMO_HOST ?? 'localhost', identitySecret });
    console.log(`Demo page on ${url} (widget from ${apiOrigin})`);
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    console.error(`✗ Port ${port} (the demo page) is in use by another program. Choose another: DEMO_PORT=${port + 1}`);
    process.exit(1);
  }
}
