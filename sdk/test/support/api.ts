// A real API server per test file, and fresh users on it.
import { randomUUID } from 'node:crypto';
import { type ApiServer, startApiServer } from '../../../api/test/support/api-server';
import { type ChatClient, type ClientOptions, createClient, memoryTokenStore } from '../../src';

export type { ApiServer };

/**
 * The API with the offline model, and limits loose enough for a test file's many sign-ups.
 * On a machine busy with other suites the API can miss its start-up deadline: one more try then.
 */
export async function startApi(env: Record<string, string> = {}): Promise<ApiServer> {
  const options = { env: { RATE_LIMIT_AUTH_PER_IP: '10000', RATE_LIMIT_SENDS_PER_MINUTE: '10000', ...env } };
  try {
    return await startApiServer(options);
  } catch (error) {
    if (!/did not start/.test(String(error))) throw error;
    console.warn('The API was slow to start; trying once more.');
    return startApiServer(options);
  }
}

export const PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID()}@example.com`;

/** A client of `server`, with its own in-memory sign-in unless `storage` is given. */
export function clientOf(server: ApiServer, options: Partial<ClientOptions> = {}): ChatClient {
  return createClient({ url: server.graphqlUrl, storage: memoryTokenStore(), ...options });
}

/** A client signed in as a new user. */
export async function signedInClient(server: ApiServer, options: Partial<ClientOptions> = {}): Promise<ChatClient> {
  const chat = clientOf(server, options);
  await chat.auth.register({ email: uniqueEmail(), password: PASSWORD });
  return chat;
}
