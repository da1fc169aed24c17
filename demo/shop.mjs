// The coffee shop's own login, as any site has one: a couple of fake customer accounts, a session
// cookie, and /chat-token, which answers the signed-in customer's identity token for the chat
// (empty when nobody is signed in). The widget never sees the shop's password or cookie.
import { randomBytes } from 'node:crypto';
import { signIdentityToken } from './identity-token.mjs';

/** The shop's customers (a demo: the passwords are on the page). */
const ACCOUNTS = {
  ana: { id: 'customer-1001', name: 'Ana', email: 'ana@fernway.example', password: 'coffee' },
  ben: { id: 'customer-1002', name: 'Ben', email: 'ben@fernway.example', password: 'coffee' },
};
export const SHOP_SITE_KEY = 'pk_demo_shop';
const COOKIE = 'fernway_session';

export class Shop {
  /** session id → account */
  #sessions = new Map();

  constructor(identitySecret) {
    this.identitySecret = identitySecret;
  }

  /** The signed-in customer of a request, or null. */
  customer(req) {
    return this.#sessions.get(sessionId(req)) ?? null;
  }

  /** Handles the shop's own routes; false for any other path. */
  async handle(req, res, path) {
    if (req.method === 'POST' && path === '/shop/login') {
      const form = new URLSearchParams(await readBody(req));
      const account = ACCOUNTS[form.get('username')?.trim().toLowerCase() ?? ''];
      if (!account || account.password !== form.get('password')) return redirect(res, '/shop.html?failed=1');
      const sid = randomBytes(18).toString('base64url');
      this.#sessions.set(sid, account);
      return redirect(res, '/shop.html', `${COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`);
    }
    if (req.method === 'POST' && path === '/shop/logout') {
      this.#sessions.delete(sessionId(req));
      return redirect(res, '/shop.html', `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    }
    if (req.method === 'GET' && path === '/chat-token') {
      const customer = this.customer(req);
      const token =
        customer && this.identitySecret
          ? signIdentityToken({ secret: this.identitySecret, site: SHOP_SITE_KEY, sub: customer.id, name: customer.name, email: customer.email })
          : '';
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(token);
      return true;
    }
    return false;
  }
}

function sessionId(req) {
  return new RegExp(`(?:^|;\\s*)${COOKIE}=([\\w-]+)`).exec(req.headers.cookie ?? '')?.[1];
}

function redirect(res, location, cookie) {
  res.writeHead(303, { location, ...(cookie ? { 'set-cookie': cookie } : {}) }).end();
  return true;
}

async function readBody(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return body;
}
