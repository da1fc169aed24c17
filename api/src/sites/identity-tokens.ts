// Identity tokens: a host site's server vouches for its signed-in user with a short-lived JWT
// (sub, optional name and email, aud = the site's public key, exp ≤ 10 minutes, jti), signed with a
// secret it shares with us (HS256) or with its private key (RS256, ES256, EdDSA) whose public half
// we hold as a PEM or fetch from its JWKS URL. jose does the verification; this file chooses the key
// and the rules, and turns every refusal into one error type with a stable reason.
import { createRemoteJWKSet, errors, importSPKI, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';

export const IDENTITY_ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA'] as const;
export type IdentityAlgorithm = (typeof IDENTITY_ALGORITHMS)[number];
/** The longest lifetime (exp − iat) a token may be issued with. */
export const MAX_TOKEN_LIFETIME_SECONDS = 600;
/** HS256 secrets shorter than this are refused when configured and when used. */
export const MIN_SECRET_BYTES = 32;
const CLOCK_TOLERANCE_SECONDS = 30;

export type IdentityRefusal =
  | 'malformed'
  | 'bad-signature'
  | 'algorithm-not-allowed'
  | 'expired'
  | 'not-yet-valid'
  | 'too-old'
  | 'too-long-lived'
  | 'wrong-site'
  | 'wrong-issuer'
  | 'missing-claim'
  | 'replayed'
  | 'weak-secret'
  | 'key-unavailable'
  | 'not-enabled'
  | 'site-key-revoked';

export class IdentityError extends Error {
  constructor(
    readonly reason: IdentityRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}

/** How one site's tokens are checked. */
export interface IdentityVerifier {
  mode: 'HS256' | 'PUBLIC_KEY' | 'JWKS';
  algorithms: IdentityAlgorithm[];
  issuer?: string;
  maxAgeSeconds: number;
  /** The HS256 secret, the PEM public key, or the JWKS URL. */
  key: string;
}

export interface IdentityClaims {
  subject: string;
  name?: string;
  email?: string;
  jti: string;
  expiresAt: Date;
}

// One remote key set per URL, so jose's cache (keys, cooldown between refetches) is shared by
// every sign-in: a rotated key is fetched once when a token names a kid the cache lacks.
const remoteKeySets = new Map<string, JWTVerifyGetKey>();

function keyFor(verifier: IdentityVerifier): Uint8Array | JWTVerifyGetKey {
  switch (verifier.mode) {
    case 'HS256': {
      const secret = new TextEncoder().encode(verifier.key);
      if (secret.length < MIN_SECRET_BYTES) throw new IdentityError('weak-secret', `The site's secret is shorter than ${MIN_SECRET_BYTES} bytes.`);
      return secret;
    }
    case 'PUBLIC_KEY':
      return async (header) => importSPKI(verifier.key, header.alg ?? '');
    case 'JWKS': {
      let keySet = remoteKeySets.get(verifier.key);
      if (!keySet) {
        keySet = createRemoteJWKSet(new URL(verifier.key), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
        remoteKeySets.set(verifier.key, keySet);
      }
      return keySet;
    }
  }
}

/** Checks a token for the site whose public key is `audience`; throws IdentityError with the reason. */
export async function verifyIdentityToken(token: string, verifier: IdentityVerifier, audience: string): Promise<IdentityClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keyFor(verifier) as Uint8Array, {
      algorithms: verifier.algorithms,
      audience,
      issuer: verifier.issuer,
      maxTokenAge: `${verifier.maxAgeSeconds}s`,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
    }));
  } catch (error) {
    throw refusalOf(error);
  }
  if (payload.exp! - payload.iat! > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new IdentityError('too-long-lived', `Identity tokens may live at most ${MAX_TOKEN_LIFETIME_SECONDS / 60} minutes.`);
  }
  const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : undefined);
  const subject = text(payload.sub, 200);
  const jti = text(payload.jti, 200);
  if (!subject || !jti) throw new IdentityError('missing-claim', 'The token needs a sub and a jti.');
  return { subject, jti, name: text(payload.name, 100), email: text(payload.email, 254), expiresAt: new Date(payload.exp! * 1000) };
}

function refusalOf(error: unknown): IdentityError {
  if (error instanceof IdentityError) return error;
  if (error instanceof errors.JWTExpired) {
    // jose reports a token older than maxTokenAge as expired too, naming the iat claim.
    return error.claim === 'iat'
      ? new IdentityError('too-old', 'The identity token was issued too long ago.')
      : new IdentityError('expired', 'The identity token has expired.');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud':
        return new IdentityError('wrong-site', 'The identity token is for another site.');
      case 'iss':
        return new IdentityError('wrong-issuer', 'The identity token comes from an unexpected issuer.');
      case 'nbf':
        return new IdentityError('not-yet-valid', 'The identity token is not valid yet.');
      case 'iat':
        return new IdentityError(error.reason === 'check_failed' ? 'too-old' : 'malformed', 'The identity token is too old.');
      default:
        return new IdentityError('missing-claim', `The identity token's ${error.claim} claim is missing or invalid.`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new IdentityError('algorithm-not-allowed', 'The identity token is signed with an algorithm this site does not allow.');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new IdentityError('bad-signature', 'The identity token signature does not verify.');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new IdentityError('key-unavailable', "The site's signing key could not be found.");
  }
  if (error instanceof errors.JOSEError) return new IdentityError('malformed', 'The identity token is not a valid JWT.');
  return new IdentityError('key-unavailable', "The site's signing key could not be fetched."); // e.g. its JWKS URL is down
}
