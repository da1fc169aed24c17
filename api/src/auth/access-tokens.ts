// Access tokens: short-lived HS256 JWTs carrying sub, role, sid (the sign-in: its refresh-token
// family), site (for guests and host-site users: the site they belong to), iat, exp, iss and aud.
import { jwtVerify, SignJWT } from 'jose';
import type { Config } from '../config.ts';

export interface AccessClaims {
  userId: string;
  role: 'GUEST' | 'USER' | 'ADMIN';
  /** The sign-in this token belongs to (its refresh-token family); ending the sign-in ends the token. */
  familyId?: string;
  /** The site a guest or host-site user belongs to: the token is refused on any other site. */
  siteId?: string;
}

/** `issuedAt` fixes the token's times: the same claims and time sign the same token (a refresh answered twice). */
export async function signAccessToken(
  auth: Config['auth'],
  claims: AccessClaims,
  issuedAt: Date = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const now = issuedAt.getTime();
  const expiresAt = new Date(now + auth.accessTokenTtlMs);
  const token = await new SignJWT({ role: claims.role, ...(claims.familyId ? { sid: claims.familyId } : {}), ...(claims.siteId ? { site: claims.siteId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(auth.jwtSecret);
  return { token, expiresAt };
}

/**
 * Null for anything not a valid, unexpired token of ours (tampered, alg none, wrong issuer, expired).
 * A token that verified once is remembered until it expires: a client sends the same token with
 * every request for its whole lifetime, and jose's HMAC check through WebCrypto cost ~12% of the
 * server's CPU for an authenticated `me` (profile of bench #4). A hit needs the exact same bytes;
 * whether the user and the sign-in still exist is checked per request by the viewer check anyway.
 */
export async function verifyAccessToken(auth: Config['auth'], token: string): Promise<AccessClaims | null> {
  const verified = verifiedTokens(auth);
  const known = verified.get(token);
  if (known) {
    if (known.expiresAtMs > Date.now()) return known.claims;
    verified.delete(token);
    return null;
  }
  try {
    const { payload } = await jwtVerify(token, auth.jwtSecret, {
      algorithms: ['HS256'],
      issuer: auth.issuer,
      audience: auth.audience,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const role = payload.role === 'ADMIN' || payload.role === 'GUEST' ? payload.role : 'USER';
    const claims: AccessClaims = {
      userId: payload.sub!,
      role,
      familyId: typeof payload.sid === 'string' ? payload.sid : undefined,
      siteId: typeof payload.site === 'string' ? payload.site : undefined,
    };
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!); // the oldest
    verified.set(token, { claims, expiresAtMs: payload.exp! * 1000 });
    return claims;
  } catch {
    return null;
  }
}

/** Enough for every client of a busy instance; each entry is a token and its claims (~0.5 KB). */
const VERIFIED_TOKENS_KEPT = 10_000;
const verifiedByConfig = new WeakMap<Config['auth'], Map<string, { claims: AccessClaims; expiresAtMs: number }>>();

function verifiedTokens(auth: Config['auth']) {
  let verified = verifiedByConfig.get(auth);
  if (!verified) verifiedByConfig.set(auth, (verified = new Map()));
  return verified;
}
