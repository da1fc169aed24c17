// The published package as an app that bundles gets it: the SDK and the widget packed (pnpm pack
// turns `workspace:^` into a version), installed from the tarballs into a new Vite + React +
// TypeScript project outside the workspace (test/fixtures/react-app), type-checked there by strict
// `tsc` against the packed .d.ts, built by Vite, and the built page run in Chromium against a live API.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../api/test/support/api-server.ts';
import { launchChromium } from '../../api/test/support/chromium.ts';
// @ts-expect-error plain ESM without types
import { PNPM } from '../../scripts/setup.mjs';
import { browserSuite, lastReply, send, signUp } from './support/widget.ts';

const widgetDir = fileURLToPath(new URL('..', import.meta.url));
const sdkDir = path.join(widgetDir, '../sdk');
const fixture = path.join(widgetDir, 'test/fixtures/react-app');
const versionOf = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;

// Pinned so the project is the same on every run, and npm's cache (--prefer-offline) makes reruns quick.
const APP_DEPENDENCIES = ['react@19.3.1', 'react-dom@19.3.1', '@types/react@19.3.3', '@types/react-dom@19.3.0', 'vite@7.3.8', 'typescript@5.9.3'];

/** Runs a command; if it fails, the error carries what it printed. */
function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** Serves the app's built files, as any static host would. */
async function serveStatic(root: string): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer(async (req, res) => {
    const file = path.join(root, path.normalize(new URL(req.url ?? '/', 'http://app').pathname.replace(/\/$/, '/index.html')));
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

browserSuite('an app that installs the packed widget', () => {
  let work: string;
  let project: string;
  let api: ApiServer;
  let browser: Browser;
  let app: { url: string; server: Server };
  let packedFiles: string[];

  beforeAll(async () => {
    const started = Promise.all([startApiServer({ env: { OFFLINE_CHUNK_DELAY_MS: '5' } }), launchChromium()]);
    work = mkdtempSync(path.join(tmpdir(), 'mbc-widget-pack-'));
    project = path.join(work, 'app');
    // The SDK is built into a staging copy, so sdk/dist (which other suites read) is never rewritten under them.
    const sdk = path.join(work, 'sdk');
    mkdirSync(sdk);
    run('npx', ['--no-install', 'tsup', '--out-dir', path.join(sdk, 'dist')], sdkDir);
    for (const file of ['package.json', 'README.md']) cpSync(path.join(sdkDir, file), path.join(sdk, file));
    const [sdkPacked] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], sdk)) as Array<{ filename: string }>;
    // `prepack` builds lib/ from the sources.
    const widgetPacked = JSON.parse(run('npx', [...PNPM, 'pack', '--json', '--pack-destination', work], widgetDir)) as {
      filename: string;
      files: Array<{ path: string }>;
    };
    packedFiles = widgetPacked.files.map((file) => file.path);

    cpSync(fixture, project, { recursive: true });
    run(
      'npm',
      ['install', path.join(work, sdkPacked!.filename), widgetPacked.filename, ...APP_DEPENDENCIES, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
      project,
    );
    [api, browser] = await started;
  }, 240_000);

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), api?.stop(), new Promise((resolve) => app?.server.close(resolve))]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships ES modules with their .d.ts, the manifest and the README: no sources, no widget.js', () => {
    expect(packedFiles.filter((file) => !/^lib\/.+\.(js|d\.ts)$/.test(file)).sort()).toEqual(['README.md', 'custom-elements.json', 'package.json']);
    for (const entry of ['multi-bot-chat', 'react', 'types']) expect(packedFiles).toEqual(expect.arrayContaining([`lib/${entry}.js`, `lib/${entry}.d.ts`]));
  });

  it('gets the SDK from its own tarball as a versioned dependency; only the defining file has side effects', () => {
    const installed = (name: string) => JSON.parse(readFileSync(path.join(project, 'node_modules', name, 'package.json'), 'utf8'));
    const widget = installed('@multi-bot-chat/widget');
    expect(widget.dependencies['@multi-bot-chat/sdk']).toBe(`^${versionOf(sdkDir)}`);
    expect(installed('@multi-bot-chat/sdk').version).toBe(versionOf(sdkDir));
    expect(widget.sideEffects).toEqual(['./lib/multi-bot-chat.js']);
  });

  it('resolves the element, its React wrapper, its types entry and its custom-elements manifest', () => {
    const resolve = createRequire(path.join(project, 'package.json')).resolve;
    expect(resolve('@multi-bot-chat/widget')).toMatch(/widget\/lib\/multi-bot-chat\.js$/);
    expect(resolve('@multi-bot-chat/widget/react')).toMatch(/widget\/lib\/react\.js$/);
    const manifest = JSON.parse(readFileSync(resolve('@multi-bot-chat/widget/custom-elements.json'), 'utf8')) as {
      modules: Array<{ path: string; exports: Array<{ kind: string; name: string; declaration: { module?: string } }> }>;
    };
    const definitions = manifest.modules.flatMap((module) => module.exports).filter((entry) => entry.kind === 'custom-element-definition');
    expect(definitions).toEqual([
      { kind: 'custom-element-definition', name: 'multi-bot-chat', declaration: { name: 'MultiBotChat', module: 'lib/multi-bot-chat.js' } },
    ]);
    // The manifest names the package's files, so editors and docs tools can open them.
    const packageDir = path.dirname(resolve('@multi-bot-chat/widget/package.json'));
    const named = manifest.modules.flatMap((module) => [module.path, ...module.exports.map((entry) => entry.declaration.module ?? module.path)]);
    expect(named.filter((file) => !existsSync(path.join(packageDir, file)))).toEqual([]);
    // The types entry runs nothing: importing it defines no element.
    expect(readFileSync(resolve('@multi-bot-chat/widget/types'), 'utf8').trim()).toBe('export {};');
  });

  it('type-checks with strict tsc: the element, its props and its typed mbc-* events, in React and plain DOM', () => {
    const tsc = path.join(project, 'node_modules/typescript/bin/tsc');
    expect(run(process.execPath, [tsc, '-p', 'tsconfig.json'], project)).toBe('');
    expect(run(process.execPath, [tsc, '-p', 'tsconfig.script-tag.json'], project)).toBe('');
   }, 120_000);

  it('builds with Vite, and the built page shows the widget talking to the API, its events reaching React', async () => {
    run(process.execPath, [path.join(project, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], project);
    app = await serveStatic(path.join(project, 'dist'));
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/?api=${encodeURIComponent(api.graphqlUrl)}`);
    const widget = page.locator('multi-bot-chat');

    const email = await signUp(widget);
    await expect.poll(() => page.locator('#signed-in').innerText()).toBe(email);
    await expect.poll(() => widget.locator('mbc-bot-list').getByRole('button', { name: /^Support/ }).count()).toBe(1);

    await send(widget, 'Hello from a React app');
    const reply = await lastReply(widget);
    expect(reply).not.toBe('');
    await expect.poll(() => page.locator('#replies li').allInnerTexts()).toEqual([expect.stringMatching(/^COMPLETE: \S/)]);
    expect(await page.evaluate(() => document.body.dataset.sent)).toBe('Hello from a React app');
    expect(errors).toEqual([]);
    await context.close();
   }, 120_000);
});
