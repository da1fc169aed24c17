// Persisted operations: clients send a hash from a list the operator deployed; with
// PERSISTED_OPERATIONS_ONLY the API runs nothing else.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { persistedOperations } from '../../src/http/persisted-operations.ts';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { postGraphql } from '../support/steps.ts';

const ME = 'query Me { me { id } }';
const TYPENAME = 'query Kind { __typename }';
const sha256 = (document: string) => createHash('sha256').update(document).digest('hex');
const persisted = (document: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(document) } } });

const dir = mkdtempSync(path.join(tmpdir(), 'mbc-persisted-'));
const file = path.join(dir, 'operations.json');
writeFileSync(file, JSON.stringify({ [sha256(ME)]: ME, [sha256(TYPENAME)]: TYPENAME }));

let only: ApiServer;
let mixed: ApiServer;
beforeAll(async () => {
  [only, mixed] = await Promise.all([
    startApiServer({ env: { PERSISTED_OPERATIONS_FILE: file, PERSISTED_OPERATIONS_ONLY: 'true' } }),
    startApiServer({ env: { PERSISTED_OPERATIONS_FILE: file } }),
  ]);
});
afterAll(() => Promise.all([only?.stop(), mixed?.stop()]));

describe('with PERSISTED_OPERATIONS_ONLY', () => {
  it('runs a listed operation by its hash, over POST and GET', async () => {
    expect((await postGraphql(only.graphqlUrl, persisted(ME))).body).toEqual({ data: { me: null } });
    const query = new URLSearchParams({ extensions: JSON.stringify(persisted(TYPENAME).extensions) });
    const response = await fetch(`${only.graphqlUrl}?${query}`, { headers: { accept: 'application/json' } });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses any document sent in full with PERSISTED_QUERY_ONLY, even a listed one', async () => {
    for (const query of ['{ __typename }', ME]) {
      const { body } = await postGraphql(only.graphqlUrl, { query });
      expect(body.data).toBeUndefined();
      expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    }
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND', async () => {
    const { body } = await postGraphql(only.graphqlUrl, persisted('{ bots { id } }'));
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('with a list but not only', () => {
  it('runs listed hashes and full documents alike', async () => {
    expect((await postGraphql(mixed.graphqlUrl, persisted(ME))).body).toEqual({ data: { me: null } });
    expect((await postGraphql(mixed.graphqlUrl, { query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('a list that is not one', () => {
  it('stops start-up with a message naming the file', () => {
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '["not", "a", "map"]');
    expect(() => persistedOperations({ file: broken, only: true })).toThrow(/PERSISTED_OPERATIONS_FILE .*broken\.json must be a JSON object/);
    expect(() => persistedOperations({ file: path.join(dir, 'missing.json'), only: true })).toThrow(/missing\.json is not readable JSON/);
  });
});
