import { defineConfig } from 'vitest/config';

// One run over every package; each project keeps its own config (timeouts, environment).
export default defineConfig({
  test: {
    projects: ['api', 'sdk', 'widget'],
  },
});
