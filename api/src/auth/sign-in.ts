// The tokens every kind of sign-in ends with (account, guest, host site): a new sign-in (refresh
// family) with its first refresh token, and an access token naming the sign-in and the user's site.
import { randomUUID } from 'node:crypto';
import type { User } from '@multi-bot-chat/prisma/sqlite';
import type { Config } from '../config.ts';
import type { Db } from '../db.ts';
import { forbidden } from '../errors.ts';
import { signAccessToken } from './access-tokens.ts';
import { issueRefreshToken } from './refresh-tokens.ts';

export interface AuthResult {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  userId: string;
}

/** Every way in ends here, so a user an admin disabled cannot sign in by any of them. */
export async function startSignIn(db: Db, auth: Config['auth'], user: Pick<User, 'id' | 'role' | 'siteId' | 'disabledAt'>): Promise<AuthResult> {
  if (user.disabledAt) throw forbidden('This account is disabled.');
  const familyId = randomUUID();
  const [access, refresh] = await Promise.all([
    signAccessToken(auth, { userId: user.id, role: user.role, familyId, siteId: user.siteId ?? undefined }),
    issueRefreshToken(db, user.id, auth.refreshTokenTtlMs, familyId),
  ]);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: refresh.token,
    refreshTokenExpiresAt: refresh.expiresAt,
    userId: user.id,
  };
}
