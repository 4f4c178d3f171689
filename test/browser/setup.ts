/**
 * Global setup of the browser project: find Chromium (fail at once if there is none), build
 * the web apps with Vite, and start the real server on a free loopback port with a fresh
 * embedded database seeded in demo mode (cities, demo accounts, the shipped templates). Tests
 * read the server's address with `inject('baseUrl')` and the accounts' password with
 * `inject('demoPassword')`.
 * Set LIANBAN_SKIP_WEB_BUILD=1 to reuse an existing dist/ while iterating locally.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { configFromEnv, startServer, type RunningServer } from '@lianban/server';
import { findChromium } from './chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    chromiumPath: string;
    /** Password of the demo accounts (luan.applicant, changzhou.hrss, …) seeded at start. */
    demoPassword: string;
  }
}

const repo = path.resolve(import.meta.dirname, '../..');
let server: RunningServer | undefined;
let dataDir: string | undefined;

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
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-browser-'));
  const demoPassword = 'Browser-Test-2026';
  server = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1', webRoot, dataDir, demo: true, demoPassword });
  project.provide('baseUrl', server.url);
  project.provide('demoPassword', demoPassword);
  project.provide('chromiumPath', chromiumPath);
}

export async function teardown() {
  await server?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
