// Writes src/graphql-env.d.ts, gql.tada's introspection types for api/schema.graphql (the path is
// in tsconfig.json). `--check` exits 1 instead when the file is out of date.
//
// The `declare module 'gql.tada'` augmentation gql.tada appends is removed: the SDK hands the
// introspection to initGraphQLTada itself, and the augmentation would otherwise be bundled into the
// published .d.ts, where it breaks type-checking for users who don't have gql.tada installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaTypesFile = path.join(root, 'src/graphql-env.d.ts');

/** The content src/graphql-env.d.ts should have for the current schema. */
export function generateSchemaTypes() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mbc-sdk-schema-'));
  try {
    const output = path.join(dir, 'graphql-env.d.ts');
    const cli = path.join(root, 'node_modules/gql.tada/bin/cli.js');
    execFileSync(process.execPath, [cli, 'generate', 'output', '--output', output], { cwd: root, stdio: 'pipe' });
    return readFileSync(output, 'utf8').replace(/\n*(import \* as gqlTada from 'gql\.tada';\s*)?declare module 'gql\.tada' \{[\s\S]*?\n\}\s*$/, '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const expected = generateSchemaTypes();
  if (process.argv.includes('--check')) {
    if (readFileSync(schemaTypesFile, 'utf8') !== expected) {
      console.error('src/graphql-env.d.ts is out of date with api/schema.graphql: run `pnpm run generate` in sdk/.');
      process.exit(1);
    }
  } else {
    writeFileSync(schemaTypesFile, expected);
  }
}
