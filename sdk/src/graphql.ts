// The typed `graphql()` tag: documents are checked against api/schema.graphql at compile time
// through the introspection in graphql-env.d.ts (regenerate it with `pnpm run generate`).
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  disableMasking: true;
  scalars: {
    DateTime: string;
    JSON: unknown;
  };
}>();

export type { ResultOf } from 'gql.tada';
