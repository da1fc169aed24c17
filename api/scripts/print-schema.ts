// Prints the GraphQL contract to api/schema.graphql, so changes show up in review and the SDK can check itself.
// With --check [file] it writes nothing and fails when the file (schema.graphql by default) differs from
// the schema the code builds.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/schema/index.ts';

const file = path.resolve(import.meta.dirname, '../schema.graphql');
const printed = `${printSchema(lexicographicSortSchema(schema))}\n`;
const [mode, checked = file] = process.argv.slice(2);
if (mode === '--check') {
  if (readFileSync(checked, 'utf8') !== printed) {
    console.error(`${checked} differs from the schema the code builds: run \`npm run print-schema\` in api/ and review the diff.`);
    process.exit(1);
  }
} else {
  writeFileSync(file, printed);
  console.log(`wrote ${file}`);
}
