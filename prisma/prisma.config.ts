// One config for both providers: DATABASE_URL decides which schema folder, migrations and adapter.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { postgresAdapter, providerOf, sqliteAdapter } from './adapters.ts';

const databaseUrl = process.env.DATABASE_URL ?? 'file:./data/chat.db';
const provider = providerOf(databaseUrl);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(import.meta.dirname, provider),
  migrations: { path: path.join(import.meta.dirname, provider, 'migrations') },
  adapter: async () =>
    provider === 'postgresql'
      ? postgresAdapter(databaseUrl, { allowExitOnIdle: true, max: 2 })
      : sqliteAdapter(databaseUrl),
});
