// Steps the site suites share: an admin, a site made through the API, requests sent from a site.
import type { ApiServer } from '../support/api-server.ts';
import { runSql } from '../support/databases.ts';
import { type GraphQLResponse, gqlOk, registerUser } from '../support/graphql-client.ts';

/** A registered user promoted to admin (there is no API for the first admin yet: an operator's SQL). */
export async function adminOf(server: ApiServer) {
  const admin = await registerUser(server.graphqlUrl);
  await runSql(server.databaseUrl, `UPDATE "User" SET "role" = 'ADMIN' WHERE "email" = $1`, [admin.email]);
  return admin;
}

export const SITE_FIELDS = 'id name publicKey allowedOrigins botIds defaultBotId allowGuests allowAccounts disclosure welcome identity { mode algorithms hasSecret maxTokenAgeSeconds }';

export async function createSite(server: ApiServer, adminToken: string, input: Record<string, unknown>) {
  const { createSite: site } = await gqlOk(server.graphqlUrl, `mutation($input: SiteInput!) { createSite(input: $input) { ${SITE_FIELDS} } }`, { input }, adminToken);
  return site as { id: string; publicKey: string; [key: string]: any };
}

/** A GraphQL request as the widget on a site sends it: the site's key in X-MBC-Site, and the page's Origin. */
export async function fromSite<T = any>(
  server: ApiServer,
  site: { key: string | null; origin?: string },
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(site.key ? { 'x-mbc-site': site.key } : {}),
      ...(site.origin ? { origin: site.origin } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

export const START_GUEST = 'mutation { startGuest { accessToken refreshToken user { id role email name } } }';
export const SIGN_IN_WITH_IDENTITY = 'mutation($t: String!) { signInWithIdentity(token: $t) { accessToken refreshToken user { id role email name } } }';
