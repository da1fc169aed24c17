// The published package as a stranger gets it: built, packed with `npm pack`, installed from the
// tarball into a new project outside the workspace, type-checked there by `tsc --strict` against
// the packed .d.ts only, and run against a live API.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiServer, startApi } from './support/api';

const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(path.join(sdkDir, 'package.json'), 'utf8')) as { version: string };

let server: ApiServer;
let work: string;
let project: string;

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, npm_config_update_notifier: 'false' } });

/** Runs a command and, if it fails, fails the test with what it printed. */
function runOrExplain(command: string, args: string[], cwd: string): string {
  try {
    return run(command, args, cwd);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

const JOURNEY = `
import {
  createClient,
  MbcError,
  ValidationError,
  VERSION,
  type Bot,
  type Message,
  type ReplyEvent,
} from '@multi-bot-chat/sdk';

const url = process.argv[2];
if (!url) throw new Error('usage: node journey.js <graphql url>');

const chat = createClient({ url, reconnect: { attempts: 2, delayMs: 100 } });
const user = await chat.auth.register({ email: \`packed-\${Date.now()}@example.com\`, password: 'correct horse battery staple' });
const bots: Bot[] = await chat.bots.list();
const session = await chat.sessions.create({ botId: bots[0]!.id, title: 'From the tarball' });

const reply = chat.messages.send({ sessionId: session.id, text: 'Hello from a packed SDK' });
let streamed = '';
const kinds = new Set<ReplyEvent['type']>();
for await (const event of reply) {
  kinds.add(event.type);
  if (event.type === 'delta') streamed += event.text;
}
const final: Message = await reply.done;
const history = await chat.messages.history({ sessionId: session.id, last: 10 });
const models = await chat.sessions.models(); // a conversation tool: createClient has them

let field: string | undefined;
try {
  await chat.sessions.rename(session.id, '');
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  field = error.field;
}
const isSdkError = (error: unknown): error is MbcError => error instanceof MbcError;

await chat.auth.logout();
console.log(JSON.stringify({
  version: VERSION,
  email: user.email,
  status: final.status,
  streamedAll: streamed === final.text && streamed.length > 0,
  kinds: [...kinds],
  history: history.items.map((message) => message.role),
  models,
  field,
  isSdkError: isSdkError(new ValidationError('x')),
  signedOut: !chat.auth.isAuthenticated,
}));
`;

const REQUIRE_CHECK = `
import { createClient, NetworkError, VERSION } from '@multi-bot-chat/sdk';

const chat = createClient({ url: 'http://127.0.0.1:9/graphql' });
const error: NetworkError = new NetworkError('offline');
console.log(JSON.stringify({ version: VERSION, namespaces: Object.keys(chat), error: error.name }));
`;

beforeAll(async () => {
  const serverStarted = startApi();
  work = mkdtempSync(path.join(tmpdir(), 'mbc-sdk-pack-'));
  project = path.join(work, 'app');
  runOrExplain('npx', ['--no-install', 'tsup'], sdkDir);
  const [packed] = JSON.parse(runOrExplain('npm', ['pack', '--json', '--pack-destination', work], sdkDir)) as Array<{ filename: string }>;
  runOrExplain('mkdir', ['-p', project], work);
  runOrExplain('npm', ['init', '-y'], project);
  runOrExplain('npm', ['pkg', 'set', 'type=module'], project);
  runOrExplain(
    'npm',
    ['install', path.join(work, packed!.filename), 'typescript@5.9.3', '@types/node@20', '--no-audit', '--no-fund', '--loglevel=error'],
    project,
  );
  writeFileSync(path.join(project, 'journey.ts'), JOURNEY);
  writeFileSync(path.join(project, 'require-check.cts'), REQUIRE_CHECK);
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        // A Node project without the DOM library: the packed types must not need it.
        lib: ['ES2022'],
        types: ['node'],
        outDir: 'out',
      },
      files: ['journey.ts', 'require-check.cts'],
    }),
  );
  server = await serverStarted;
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('ships only the build, the README and the manifest', () => {
    const [packed] = JSON.parse(run('npm', ['pack', '--dry-run', '--json'], sdkDir)) as Array<{ files: Array<{ path: string }> }>;
    const files = packed!.files.map((file) => file.path).sort();
    expect(files).toEqual(
      ['README.md', 'dist/index.cjs', 'dist/index.cjs.map', 'dist/index.d.cts', 'dist/index.d.ts', 'dist/index.js', 'dist/index.js.map', 'package.json'].sort(),
    );
  });

  test('type-checks a strict TypeScript project against the packed types', () => {
    const tsc = path.join(project, 'node_modules/typescript/bin/tsc');
    expect(runOrExplain(process.execPath, [tsc, '-p', '.'], project)).toBe('');
  });

  test('runs the journey against a live API from the packed ES module', () => {
    const output = JSON.parse(runOrExplain(process.execPath, ['out/journey.js', server.graphqlUrl], project)) as Record<string, unknown>;
    expect(output).toEqual({
      version,
      email: expect.stringMatching(/^packed-\d+@example\.com$/),
      status: 'COMPLETE',
      streamedAll: true,
      kinds: ['added', 'delta', 'completed'],
      history: ['USER', 'BOT'],
      models: ['offline'],
      field: 'title',
      isSdkError: true,
      signedOut: true,
    });
  });

  test('loads through require() too (CommonJS build and .d.cts types)', () => {
    const output = JSON.parse(runOrExplain(process.execPath, ['out/require-check.cjs'], project)) as Record<string, unknown>;
    expect(output).toEqual({ version, namespaces: ['auth', 'bots', 'sessions', 'messages', 'memories', 'site', 'feedback'], error: 'NetworkError' });
  });

  test('the browser build stays small (minified + gzip)', () => {
    const report = runOrExplain(process.execPath, ['scripts/size.mjs'], sdkDir);
    console.log(report.trim());
    const gzipKiB = Number(/([\d.]+) KiB minified\+gzip/.exec(report)?.[1]);
    expect(gzipKiB).toBeGreaterThan(5);
    // Everything the SDK exports, as an app that imports it all ships it (tools and the occasional
    // APIs included); a bundler leaves out what an app does not import.
    expect(gzipKiB).toBeLessThan(24);
  });
});
