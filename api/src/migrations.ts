// MIGRATE_ON_START: applies pending migrations with the same command an operator runs by hand
// (`prisma migrate deploy`). On PostgreSQL, Prisma holds an advisory lock while migrating, so
// instances starting together apply each migration once.
import { spawn } from 'node:child_process';
import path from 'node:path';

const PRISMA_DIR = path.resolve(import.meta.dirname, '../../prisma');
const PRISMA_CLI = path.join(PRISMA_DIR, 'node_modules/.bin/prisma');
// What `migrate deploy` prints once the database is up to date.
const UP_TO_DATE = /All migrations have been successfully applied|No pending migrations to apply/;

export function applyMigrations(databaseUrl: string): Promise<void> {
  // The CLI runs in the prisma folder: a relative SQLite path must mean the same file as for the API.
  const url = databaseUrl.startsWith('file:') ? `file:${path.resolve(databaseUrl.slice('file:'.length))}` : databaseUrl;
  return new Promise((resolve, reject) => {
    const cli = spawn(PRISMA_CLI, ['migrate', 'deploy', '--config', 'prisma.config.ts'], {
      cwd: PRISMA_DIR,
      // The child inherits this process's environment (PATH, HOME), as a shell would run it.
      env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      // Prisma 6.19's WebAssembly engine leaves a 10-second timer behind after it has finished:
      // once the CLI reports success there is nothing left to wait for.
      if (UP_TO_DATE.test(output)) {
        resolve();
        cli.kill();
      }
    };
    cli.stdout.on('data', collect);
    cli.stderr.on('data', collect);
    cli.once('error', reject);
    cli.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`migrations failed: ${output.trim()}`))));
  });
}
