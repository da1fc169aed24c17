// Refresh tokens: random, stored only as a SHA-256 hash, rotated on every use. Presenting a token
// that was already rotated means it leaked: the whole family (one sign-in's chain) is revoked.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
}

export async function issueRefreshToken(
  db: Db,
  userId: string,
  ttlMs: number,
  familyId: string = randomUUID(),
): Promise<IssuedRefreshToken & { id: string }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs);
  const row = await db.refreshToken.create({ data: { userId, familyId, tokenHash: hash(token), expiresAt } });
  return { id: row.id, token, expiresAt };
}

export type RotateResult =
  | { ok: true; userId: string; familyId: string; next: IssuedRefreshToken }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' };

export async function rotateRefreshToken(db: Db, token: string, ttlMs: number): Promise<RotateResult> {
  const current = await db.refreshToken.findUnique({ where: { tokenHash: hash(token) } });
  if (!current) return { ok: false, reason: 'unknown' };
  if (current.revokedAt) {
    await revokeFamily(db, current.familyId);
    return { ok: false, reason: 'reused' };
  }
  if (current.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'expired' };

  const next = await issueRefreshToken(db, current.userId, ttlMs, current.familyId);
  // Only one of two concurrent rotations of the same token may win; the loser counts as reuse.
  const { count } = await db.refreshToken.updateMany({
    where: { id: current.id, revokedAt: null },
    data: { revokedAt: new Date(), replacedById: next.id },
  });
  if (count === 0) {
    await revokeFamily(db, current.familyId);
    return { ok: false, reason: 'reused' };
  }
  return { ok: true, userId: current.userId, familyId: current.familyId, next };
}

/** Logout: ends the sign-in the token belongs to. Unknown tokens are ignored (logout is idempotent). */
export async function revokeRefreshToken(db: Db, token: string): Promise<void> {
  const current = await db.refreshToken.findUnique({ where: { tokenHash: hash(token) } });
  if (current) await revokeFamily(db, current.familyId);
}

function revokeFamily(db: Db, familyId: string) {
  return db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
}
