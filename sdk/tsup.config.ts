import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // The same code runs in browsers and Node: nothing platform-specific may be bundled.
  platform: 'neutral',
  target: 'es2022',
  define: { __VERSION__: JSON.stringify(version) },
  // Dependencies stay imports (deduplicated with the app's copies); gql.tada's tiny runtime is bundled.
  external: ['@urql/core', '@0no-co/graphql.web'],
});
