// scripts/up-to-date.mjs: which setup steps `npm start` and `npm test` skip, on real files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types
import { StepStamps } from '../../../scripts/up-to-date.mjs';

let root: string;
let runs: number;
const build = () => {
  runs++;
  writeFileSync(path.join(root, 'out/bundle.js'), 'built');
};
const step = () => new StepStamps(root).step('Building', { inputs: ['src', 'package.json'], outputs: ['out/bundle.js'] }, build);

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'mbc-steps-'));
  mkdirSync(path.join(root, 'src'));
  mkdirSync(path.join(root, 'out'));
  writeFileSync(path.join(root, 'src/a.ts'), 'export const a = 1;');
  writeFileSync(path.join(root, 'package.json'), '{}');
  runs = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('a setup step', () => {
  it('runs the first time, and not again while its inputs and outputs are unchanged', () => {
    step();
    step();
    expect(runs).toBe(1);
  });

  it('runs again when an input file changes, is added or is removed', () => {
    step();
    writeFileSync(path.join(root, 'src/a.ts'), 'export const a = 2;');
    step();
    writeFileSync(path.join(root, 'src/b.ts'), 'export const b = 1;');
    step();
    rmSync(path.join(root, 'src/b.ts'));
    step();
    expect(runs).toBe(4);
  });

  it('runs again when its output is gone, or when the stamps are (a fresh node_modules)', () => {
    step();
    rmSync(path.join(root, 'out/bundle.js'));
    step();
    rmSync(path.join(root, 'node_modules'), { recursive: true });
    step();
    expect(runs).toBe(3);
  });

  it('in a git checkout, reads a folder as git sees it: what .gitignore names does not count', () => {
    expect(spawnSync('git', ['init', '-q'], { cwd: root }).status).toBe(0);
    writeFileSync(path.join(root, '.gitignore'), 'src/generated/\n');
    step();
    mkdirSync(path.join(root, 'src/generated'));
    writeFileSync(path.join(root, 'src/generated/cache.json'), '{}');
    step();
    expect(runs).toBe(1);
    writeFileSync(path.join(root, 'src/new-file.ts'), 'export {};'); // untracked but not ignored: a source
    step();
    expect(runs).toBe(2);
  });

  it('that fails leaves no stamp, so the next start runs it again', () => {
    expect(() =>
      new StepStamps(root).step('Building', { inputs: ['src'], outputs: ['out/bundle.js'] }, () => {
        throw new Error('build failed');
      }),
    ).toThrow('build failed');
    step();
    expect(runs).toBe(1);
  });
});
