// Skips a setup step whose inputs are byte for byte what they were when it last succeeded, and whose
// outputs are still there. A hash of the inputs (not their times: a checkout or a copy changes
// those) is kept per step in node_modules/.cache, so deleting node_modules starts everything afresh,
// as on a clean clone. A second `npm start` thus runs no pnpm, Prisma or bundler at all.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', '.cache']);

/** sha256 over the paths and contents of these files and of every file below these folders. */
export function hashOf(root, inputs) {
  const hash = createHash('sha256');
  const add = (relative) => {
    const absolute = path.join(root, relative);
    if (!existsSync(absolute)) return void hash.update(`missing ${relative}\n`);
    if (statSync(absolute).isDirectory()) {
      for (const entry of readdirSync(absolute).sort()) if (!SKIPPED_DIRS.has(entry)) add(path.join(relative, entry));
      return;
    }
    hash.update(`${relative}\n`).update(readFileSync(absolute)).update('\n');
  };
  inputs.forEach(add);
  return hash.digest('hex');
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
