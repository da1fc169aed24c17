// Every admin operation refuses everyone else: the matrix is generated from the schema (each Query
// or Mutation field documented "(admins only)"), so a new admin operation is covered the day it is
// added. Each is sent with well-formed arguments by a user and by a guest: FORBIDDEN, nothing else.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  type GraphQLField,
  type GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { errorCode, gql, registerUser } from '../support/graphql-client.ts';

const schema = buildSchema(readFileSync(path.resolve(import.meta.dirname, '../../schema.graphql'), 'utf8'));
const adminFields = (['Query', 'Mutation'] as const).flatMap((root) =>
  Object.values(schema.getType(root) && isObjectType(schema.getType(root)) ? (schema.getType(root) as any).getFields() : {})
    .filter((field: any) => /\(admins only/.test(field.description ?? ''))
    .map((field: any) => ({ root, field: field as GraphQLField<unknown, unknown> })),
);

/** A well-formed value of an input type: required fields only, ids of an existing-looking shape. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type)).map((f) => [f.name, sample(f.type)]));
  }
  if (isScalarType(type)) {
    return { ID: btoa('User:someone'), String: 'x', Int: 1, Float: 1, Boolean: true, DateTime: new Date().toISOString(), JSON: {} }[type.name];
  }
  throw new Error(`no sample for ${String(type)}`);
}

function operationOf(root: 'Query' | 'Mutation', field: GraphQLField<unknown, unknown>) {
  const args = field.args;
  const variables = Object.fromEntries(args.map((a) => [a.name, sample(a.type)]));
  const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
  const query = `${root === 'Query' ? 'query' : 'mutation'}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
  return { query, variables };
}

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(() => server?.stop());

describe('a non-admin gets FORBIDDEN from every admin operation', () => {
  it('the schema names the admin operations (sites, users, bots, quotas, analytics, audit)', () => {
    const names = adminFields.map((f) => f.field.name);
    for (const expected of ['sites', 'site', 'createSite', 'rotateSiteKey', 'adminUsers', 'setUserDisabled', 'setUserRole', 'deleteUser', 'setUserQuota', 'setSiteQuota', 'adminBots', 'createSystemBot', 'adminUpdateBot', 'setBotDisabled', 'analytics', 'auditLog']) {
      expect(names).toContain(expected);
    }
  });

  it.each(adminFields.map(({ root, field }) => [`${root}.${field.name}`, root, field] as const))('%s', async (_name, root, field) => {
    const { query, variables } = operationOf(root, field);
    const user = await registerUser(server.graphqlUrl);
    const asUser = await gql(server.graphqlUrl, query, variables, user.accessToken);
    expect(errorCode(asUser), `${query} as a user: ${JSON.stringify(asUser.errors)}`).toBe('FORBIDDEN');
    const anonymous = await gql(server.graphqlUrl, query, variables);
    expect(errorCode(anonymous), `${query} without a token`).toBe('UNAUTHENTICATED');
  });
});
