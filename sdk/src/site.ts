// The site the client speaks for: its public settings, read before anyone signs in.
import { SiteConfigQuery, toSiteConfig } from './documents';
import type { Transport } from './transport';
import type { SiteConfig } from './types';

/** `chat.site`: the settings of the site named by the client's `site` option (or the default site). */
export interface SiteApi {
  /** The site's public key, as given to `createClient`; null for the default site. */
  readonly key: string | null;
  /**
   * Reads the site's public settings.
   * @throws {@link NotFoundError} for an unknown key, {@link AuthError} (`FORBIDDEN`) for a revoked one.
   */
  config(): Promise<SiteConfig>;
}

export function createSiteApi(transport: Transport, key: string | null): SiteApi {
  return {
    key,
    async config() {
      const { siteConfig } = await transport.run(SiteConfigQuery, { key });
      return toSiteConfig(siteConfig);
    },
  };
}
