// Signs an identity token the way a site's server does: a JWT (HS256) naming the shop's user, for
// one site (aud = its public key), valid for a few minutes, usable once (jti). node:crypto only;
// docs/embedding.md shows the same in Python and PHP.
import { createHmac, randomUUID } from 'node:crypto';

const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * @param {{ secret: string, site: string, sub: string, name?: string, email?: string, ttlSeconds?: number }} claims
 * @returns {string} the compact JWT
 */
export function signIdentityToken({ secret, site, sub, name, email, ttlSeconds = 300 }) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub, name, email, aud: site, iat: now, exp: now + ttlSeconds, jti: randomUUID() };
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
