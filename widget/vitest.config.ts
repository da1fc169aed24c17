import { defineConfig } from 'vitest/config';

// Browser tests drive Debian's Chromium against the real API; each file starts its own stack.
export default defineConfig({
  test: {
    name: 'widget',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
