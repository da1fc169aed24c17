import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// `npm run screenshots`: regenerates docs/*.png; kept out of `npm test`.
export default defineConfig({ ...base, test: { ...base.test, include: ['test/screenshots.run.ts'] } });
