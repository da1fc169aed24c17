// The site a GraphQL request comes from: named by the widget in the X-MBC-Site header (the site's
// public key), else the site the viewer's token belongs to, else the default site. Checked once per
// request: a browser on an origin the site does not list is refused, and a guest's or host-site
// user's token works only on its own site.
import type { GraphQLError } from 'graphql';
import type { App } from '../app.ts';
import type { Viewer } from '../auth/viewer.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { foreignOrigin } from '../origins.ts';
import type { RequestSite } from './sites.ts';

export const SITE_HEADER = 'x-mbc-site';

export interface SiteOfRequest {
  /** The request's site, read at most once per request. */
  site(): Promise<RequestSite>;
  /** Set when the request must be refused for its site (revoked or unknown key, foreign origin, another site's token). */
  error?: GraphQLError;
}

export async function siteOfRequest(app: App, request: Request, viewer: Viewer | null): Promise<SiteOfRequest> {
  const key = request.headers.get(SITE_HEADER)?.trim() || null;
  let cached: Promise<RequestSite> | undefined;
  const site = () => (cached ??= viewer?.siteId && !key ? app.sites.forRequestById(viewer.siteId) : app.sites.forRequest(key));
  if (!key && !viewer?.siteId) return { site }; // the default site: nothing to check until an operation needs it
  try {
    const resolved = await site();
    if (viewer?.siteId && viewer.siteId !== resolved.id) {
      return { site, error: unauthenticated('This sign-in belongs to another site. Sign in again here.') };
    }
    const origin = foreignOrigin(request);
    if (origin && resolved.allowedOrigins.length && !resolved.allowedOrigins.includes(origin)) {
      return { site, error: forbidden('This site key cannot be used from this origin.') };
    }
    return { site };
  } catch (error) {
    return { site, error: error as GraphQLError };
  }
}
