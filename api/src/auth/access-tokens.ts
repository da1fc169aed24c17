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

/** Null for anything not a valid, unexpired token of ours (tampered, alg none, wrong issuer, expired). */
export async function verifyAccessToken(auth: Config['auth'], token: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, auth.jwtSecret, {
      algorithms: ['HS256'],
      issuer: auth.issuer,
      audience: auth.audience,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const role = payload.role === 'ADMIN' || payload.role === 'GUEST' ? payload.role : 'USER';
    return {
      userId: payload.sub!,
      role,
      familyId: typeof payload.sid === 'string' ? payload.sid : undefined,
      siteId: typeof payload.site === 'string' ? payload.site : undefined,
    };
  } catch {
    return null;
  }
}
