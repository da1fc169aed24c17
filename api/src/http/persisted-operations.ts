// Persisted (trusted) operations: a JSON file mapping each operation's SHA-256 hash to its document,
// e.g. generated from the SDK's and widget's operations at build time. Clients send
// `extensions: { persistedQuery: { version: 1, sha256Hash } }` instead of the document. With
// PERSISTED_OPERATIONS_ONLY the API runs nothing else, so an attacker cannot send documents of
// their own at all.
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

function loadPersistedOperations(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`PERSISTED_OPERATIONS_FILE ${file} is not readable JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error(`PERSISTED_OPERATIONS_FILE ${file} must be a JSON object of { "<sha256 hash>": "<GraphQL document>" }`);
  }
  return new Map(Object.entries(parsed as Record<string, string>));
}

export function persistedOperations(options: { file: string; only: boolean }): Plugin {
  const operations = loadPersistedOperations(options.file);
  return usePersistedOperations({
    getPersistedOperation: (hash) => operations.get(hash) ?? null,
    allowArbitraryOperations: !options.only,
    customErrors: {
      notFound: { message: 'This persisted operation is unknown to the server.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      keyNotFound: { message: 'Send a query or a persisted operation hash.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      persistedQueryOnly: { message: 'This server runs persisted operations only.', extensions: { code: 'PERSISTED_QUERY_ONLY' } },
    },
  });
}
