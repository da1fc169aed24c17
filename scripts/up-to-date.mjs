// Skips a setup step whose inputs are byte for byte what they were when it last succeeded, and whose
// outputs are still there. A hash of the inputs (not their times: a checkout or a copy changes
// those) is kept per step in node_modules/.cache, so deleting node_modules starts everything afresh,
// as on a clean clone. A second `npm start` thus runs no pnpm, Prisma or bundler at all.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** sha256 over the paths and contents of these files and of the source files below these folders. */
export function hashOf(root, inputs) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((input) => filesOf(root, input))) {
    const absolute = path.join(root, file);
    hash.update(`${file}\n`).update(existsSync(absolute) ? readFileSync(absolute) : 'missing').update('\n');
  }
  return hash.digest('hex');
}

/**
 * A folder's sources are what git tracks or would track: .gitignore already names what is built
 * (dist/, lib/, node_modules/…), so a package's new build script or config counts without being
 * listed here. A folder git ignores as a whole (prisma/generated) or a tree outside git is read whole.
 */
function filesOf(root, input) {
  const absolute = path.join(root, input);
  if (!existsSync(absolute)) return [input];
  if (!statSync(absolute).isDirectory()) return [input];
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', input], { cwd: root, encoding: 'utf8' });
  if (listed.status === 0 && listed.stdout) return listed.stdout.split('\0').filter(Boolean).sort();
  return walk(root, input);
}

function walk(root, folder) {
  return readdirSync(path.join(root, folder), { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules')
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? walk(root, path.join(folder, entry.name)) : [path.join(folder, entry.name)]));
}

export class StepStamps {
  constructor(root) {
    this.root = root;
    this.file = path.join(root, 'node_modules/.cache/multi-bot-chat/setup-stamps.json');
  }

  /**
   * Runs `run` unless the step's inputs hash as at its last success and its outputs exist; then
   * records the hash of the inputs as they are after the step (an install may rewrite the lockfile).
   */
  step(title, { inputs, outputs }, run) {
    const stamps = this.read();
    const outputsThere = outputs.every((output) => existsSync(path.join(this.root, output)));
    if (outputsThere && stamps[title] === hashOf(this.root, inputs)) {
      console.log(`✓ ${title}: up to date`);
      return;
    }
    console.log(`\n▶ ${title}`);
    run();
    this.write({ ...this.read(), [title]: hashOf(this.root, inputs) });
  }

  read() {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return {};
    }
  }

  write(stamps) {
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(stamps, null, 2)}\n`);
  }
}
