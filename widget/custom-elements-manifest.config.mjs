// `npm run analyze`: writes custom-elements.json (committed) from the JSDoc of src/.
import { posix } from 'node:path';

/** src/x.ts (and `./x.js` relative to it) as the package ships it: lib/x.js. */
const shipped = (file, from) => posix.normalize(file.startsWith('.') ? posix.join(posix.dirname(from), file) : file).replace(/^src\/(.*)\.[jt]s$/, 'lib/$1.js');

/**
 * The manifest is published: paths name the package's files, not its sources. And the elements
 * are defined in a loop, which the analyzer records as one definition called "name": list each
 * element with a tag name instead.
 */
const packagePaths = {
  name: 'package-paths',
  packageLinkPhase({ customElementsManifest }) {
    for (const module of customElementsManifest.modules) {
      const source = module.path;
      module.path = shipped(source, source);
      const definitions = (module.declarations ?? [])
        .filter((declaration) => declaration.tagName)
        .map((declaration) => ({ kind: 'custom-element-definition', name: declaration.tagName, declaration: { name: declaration.name, module: module.path } }));
      module.exports = [
        ...(module.exports ?? [])
          .filter((entry) => entry.kind !== 'custom-element-definition')
          .map((entry) => (entry.declaration.module ? { ...entry, declaration: { ...entry.declaration, module: shipped(entry.declaration.module, source) } } : entry)),
        ...definitions,
      ];
    }
  },
};

export default {
  // The public element only: its parts and helpers are internal.
  globs: ['src/multi-bot-chat.ts'],
  outdir: '.',
  litelement: true,
  plugins: [packagePaths],
};
