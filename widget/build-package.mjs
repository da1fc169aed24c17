// Builds lib/, the package for apps that bundle (`npm install @multi-bot-chat/widget`), beside
// dist/widget.js (build.mjs), the one-file bundle the API serves to pages.
//
// tsc, not tsup: one ES module and one .d.ts per source file, so `sideEffects` in package.json can
// name the one file that defines the element and everything else tree-shakes; lit and the SDK stay
// imports that the app's bundler shares with its own copies; and the .d.ts come from the compiler
// that type-checks the sources, `declare global` blocks (tag name and event maps) as written.
// Minifying is left to the app's bundler.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
// A file renamed or removed in src/ must not linger in the package.
rmSync(join(root, 'lib'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.package.json'], { cwd: root, stdio: 'inherit' });
