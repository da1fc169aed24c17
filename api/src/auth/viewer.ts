// Who is asking: read from the Authorization header once per request.
import type { GraphQLError } from 'graphql';
import type { Config } from '../config.ts';
import { unauthenticated } from '../errors.ts';
import { type AccessClaims, verifyAccessToken } from './access-tokens.ts';

export type Viewer = AccessClaims;

/**
 * A missing header is an anonymous request; a bad token is remembered as an error for the first
 * operation that needs a viewer, so the client learns to refresh instead of seeing empty data.
 */
export async function viewerFromRequest(
  auth: Config['auth'],
  request: Request,
): Promise<{ viewer: Viewer | null; authError?: GraphQLError }> {
  const header = request.headers.get('authorization');
  if (!header) return { viewer: null };
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return { viewer: null, authError: unauthenticated('The Authorization header must be "Bearer <token>".') };
  const claims = await verifyAccessToken(auth, match[1]);
  if (!claims) return { viewer: null, authError: unauthenticated('The access token is invalid or expired.') };
  return { viewer: claims };
}
