import { defineConfig } from 'vitest/config';

/**
 * Three projects:
 * - unit: everything under test/ except the browser and scale-out suites (Node environment).
 * - browser: end-to-end suites that build the web apps once, start the real server and
 *   drive Debian's Chromium through playwright-core (see test/browser/setup.ts).
 * - scaleout: three real server processes on one database behind Debian's nginx, one killed
 *   under load (test/scaleout/harness.ts, ~2 min); runs after the others, alone.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'test/scaleout/**', '**/node_modules/**'],
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
      {
        test: {
          name: 'scaleout',
          include: ['test/scaleout/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          // After the unit and browser projects, so its throughput figures have the 2 cores to themselves.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
