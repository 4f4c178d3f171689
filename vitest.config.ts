import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - unit: everything under test/ except the browser suites (Node environment).
 * - browser: end-to-end suites that build the web apps once, start the real server and
 *   drive Debian's Chromium through playwright-core (see test/browser/setup.ts).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time on a 2-core machine keeps timings stable.
          fileParallelism: false,
        },
      },
    ],
  },
});
