import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The headless-browser tests (`npm run test:browser`): they need Debian's Chromium, which a fresh
 * machine does not have, so `npm test` leaves them out and `.ci/run` installs Chromium and runs them.
 * One file at a time: the reference's render time is measured, and a second browser beside it
 * would measure the two competing for the CPU.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/browser/**/*.test.ts'],
    exclude: ['node_modules/**'],
    fileParallelism: false,
  },
});
