// Refresh tokens: random, stored only as a SHA-256 hash, rotated on every use. Presenting a token
// that was already rotated means it leaked: the whole family (one sign-in's chain) is revoked —
// unless it comes back within the reuse interval, which is what two tabs refreshing at the same
// moment look like; they both get the same successor.
//
// How the same successor can be answered again without storing it: a token's successor is not
// random but derived from it, HMAC(secret, token). Whoever presents the rotated token can thus be
// given its successor once more, while the database still holds hashes only (a stolen database
// yields no usable token) and nobody without the server's secret can predict a successor. The
// successor's row is what makes the answer valid: it must be the one the token was replaced by,
// of the same family and still unrevoked. The access token is signed with the successor's creation
// time, so the second answer is byte for byte the first pair.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { type Db, isUniqueViolation } from '../db.ts';

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
  /** When the token was issued: the access token issued with it carries this time. */
  issuedAt: Date;
}

export interface RotationPolicy {
  /** Keys the derivation of successors. */
  secret: Uint8Array;
  ttlMs: number;
  /** How long after its rotation a token may be presented again for the same successor (0: never). */
  reuseIntervalMs: number;
}

export async function issueRefreshToken(
  db: Db,
  userId: string,
  ttlMs: number,
  familyId: string = randomUUID(),
): Promise<IssuedRefreshToken & { id: string }> {
  return createRow(db, { userId, familyId }, randomBytes(32).toString('base64url'), ttlMs);
}

export type RotateResult =
  | { ok: true; userId: string; familyId: string; next: IssuedRefreshToken }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' };

type Row = NonNullable<Awaited<ReturnType<Db['refreshToken']['findUnique']>>>;

export async function rotateRefreshToken(db: Db, token: string, policy: RotationPolicy): Promise<RotateResult> {
  const current = await db.refreshToken.findUnique({ where: { tokenHash: hash(token) } });
  if (!current) return { ok: false, reason: 'unknown' };
  const successorToken = successorOf(policy.secret, token);
  if (current.revokedAt) return replay(db, current, successorToken, policy);
  if (current.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'expired' };

  let next: IssuedRefreshToken & { id: string };
  try {
    next = await createRow(db, current, successorToken, policy.ttlMs);
  } catch (error) {
    // The successor's hash is unique: a concurrent rotation of the same token created it first.
    if (isUniqueViolation(error)) return replay(db, current, successorToken, policy);
    throw error;
  }
  const { count } = await db.refreshToken.updateMany({
    where: { id: current.id, revokedAt: null },
    data: { revokedAt: new Date(), replacedById: next.id },
  });
  if (count === 0) {
    // Revoked meanwhile (a logout, or a replay elsewhere in the family): the new successor goes too.
    await revokeFamily(db, current.familyId);
    return { ok: false, reason: 'reused' };
  }
  return { ok: true, userId: current.userId, familyId: current.familyId, next };
}

/** `current` was rotated (or is being rotated right now): the same successor within the interval, else the family ends. */
async function replay(db: Db, current: Row, successorToken: string, policy: RotationPolicy): Promise<RotateResult> {
  const now = Date.now();
  const rotatedAt = current.revokedAt?.getTime() ?? now;
  const successor = await db.refreshToken.findUnique({ where: { tokenHash: hash(successorToken) } });
  const sameChain =
    successor &&
    successor.familyId === current.familyId &&
    (current.replacedById === null ? current.revokedAt === null : current.replacedById === successor.id);
  if (
    policy.reuseIntervalMs > 0 &&
    now - rotatedAt <= policy.reuseIntervalMs &&
    sameChain &&
    !successor.revokedAt &&
    successor.expiresAt.getTime() > now
  ) {
    const next = { token: successorToken, expiresAt: successor.expiresAt, issuedAt: successor.createdAt };
    return { ok: true, userId: current.userId, familyId: current.familyId, next };
  }
  await revokeFamily(db, current.familyId);
  return { ok: false, reason: 'reused' };
}

/** Logout: ends the sign-in the token belongs to. Unknown tokens are ignored (logout is idempotent). */
export async function revokeRefreshToken(db: Db, token: string): Promise<void> {
  const current = await db.refreshToken.findUnique({ where: { tokenHash: hash(token) } });
  if (current) await revokeFamily(db, current.familyId);
}

function successorOf(secret: Uint8Array, token: string): string {
  return createHmac('sha256', secret).update(`refresh-successor:${token}`).digest('base64url');
}

async function createRow(db: Db, owner: { userId: string; familyId: string }, token: string, ttlMs: number) {
  // Set here rather than by the database, so a replay reads back the instant the first answer used.
  const issuedAt = new Date();
  const expiresAt = new Date(issuedAt.getTime() + ttlMs);
  const row = await db.refreshToken.create({
    data: { userId: owner.userId, familyId: owner.familyId, tokenHash: hash(token), expiresAt, createdAt: issuedAt },
  });
  return { id: row.id, token, expiresAt, issuedAt };
}

function revokeFamily(db: Db, familyId: string) {
  return db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
}
