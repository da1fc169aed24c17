// Prints the GraphQL contract to api/schema.graphql, so changes show up in review and the SDK can check itself.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/schema/index.ts';

const file = path.resolve(import.meta.dirname, '../schema.graphql');
writeFileSync(file, `${printSchema(lexicographicSortSchema(schema))}\n`);
console.log(`wrote ${file}`);
