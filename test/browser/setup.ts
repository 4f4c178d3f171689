/**
 * Global setup of the browser project: find Chromium (fail at once if there is none) and build
 * the web apps with Vite. Each test file then starts its own real server on a fresh embedded
 * database seeded in demo mode (test/browser/page.ts).
 * Set LIANBAN_SKIP_WEB_BUILD=1 to reuse an existing dist/ while iterating locally.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { findChromium } from './chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
    /** Where the built web apps are (each test file starts its own server on them). */
    webRoot: string;
  }
}

const repo = path.resolve(import.meta.dirname, '../..');

export async function setup(project: TestProject) {
  const chromiumPath = findChromium();
  const webRoot = path.join(repo, 'dist');
  const built = fs.existsSync(path.join(webRoot, 'portal/index.html')) && fs.existsSync(path.join(webRoot, 'designer/index.html'));
  if (!(process.env.LIANBAN_SKIP_WEB_BUILD === '1' && built)) {
    // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      for (const config of ['runtime/vite.config.ts', 'designer/vite.config.ts']) {
        await build({ configFile: path.join(repo, config), logLevel: 'warn', mode: 'production' });
      }
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  }
  project.provide('webRoot', webRoot);
  project.provide('chromiumPath', chromiumPath);
}
