// Configuration comes from the environment, validated once; bad values stop start-up with one line each.
import { fork } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

const MAIN = path.resolve(import.meta.dirname, '../src/main.ts');

function startWith(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = fork(MAIN, [], { cwd: path.resolve(import.meta.dirname, '..'), execArgv: ['--import', 'tsx'], env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('configuration', () => {
  it('defaults to the embedded database, port 4000 and the offline provider', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/mbc-config-test' });
    expect(config.port).toBe(4000);
    expect(config.database).toMatchObject({ url: 'file:./data/chat.db', provider: 'sqlite' });
    expect(config.llm.provider).toBe('offline');
    expect(config.auth.accessTokenTtlMs).toBe(15 * 60_000);
    expect(config.auth.refreshTokenTtlMs).toBe(30 * 86_400_000);
    expect(config.auth.bcryptCost).toBe(12);
    expect(config.http.graphiql).toBe(true);
  });

  it('picks the provider from the keys present', () => {
    expect(loadConfig({ DATA_DIR: '/tmp/mbc-config-test', GROQ_API_KEY: 'k' }).llm.provider).toBe('groq');
    expect(loadConfig({ DATA_DIR: '/tmp/mbc-config-test', OPENAI_BASE_URL: 'http://localhost:11434/v1' }).llm.provider).toBe('openai-compatible');
    expect(loadConfig({ DATA_DIR: '/tmp/mbc-config-test', DATABASE_URL: 'postgresql://u@h/db' }).database.provider).toBe('postgresql');
  });

  it('keeps the development JWT secret across restarts', () => {
    const dir = `/tmp/mbc-config-secret-${process.pid}`;
    const first = loadConfig({ DATA_DIR: dir }).auth.jwtSecret;
    const second = loadConfig({ DATA_DIR: dir }).auth.jwtSecret;
    expect(Buffer.from(first).toString()).toBe(Buffer.from(second).toString());
    expect(first.length).toBeGreaterThanOrEqual(32);
  });

  it('stops start-up with one clear line per problem', async () => {
    const { code, output } = await startWith({ PORT: 'eighty', ACCESS_TOKEN_TTL: 'forever', LLM_PROVIDER: 'groq', NODE_ENV: 'production' });
    expect(code).toBe(78);
    expect(output).toContain('Invalid configuration');
    expect(output).toMatch(/PORT .*number/i);
    expect(output).toMatch(/ACCESS_TOKEN_TTL a duration like/);
    expect(output).toMatch(/JWT_SECRET is required when NODE_ENV=production/);
    expect(output).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('refuses a weak JWT secret in production', async () => {
    const { code, output } = await startWith({ NODE_ENV: 'production', JWT_SECRET: 'changeme' });
    expect(code).toBe(78);
    expect(output).toMatch(/JWT_SECRET is too weak/);
  });
});
