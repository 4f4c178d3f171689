/**
 * Per-file browser helpers: each test file gets its own server (a fresh embedded database seeded
 * in demo mode, so one file's publishes and cases never leak into another's) and one Chromium;
 * screenshots go under test-results/. `openBrowser()` starts both; `baseUrl()` is valid after it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { configFromEnv, startServer, type Config, type RunningServer } from '@lianban/server';
import { launchChromium } from './chromium';

export const SCREEN = { office: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;
const shots = path.resolve(import.meta.dirname, '../../test-results/screenshots');

const DEMO_PASSWORD = 'Browser-Test-2026';
let server: RunningServer | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  await server?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** This file's server address (after `openBrowser()`). */
export function baseUrl(): string {
  if (!server) throw new Error('call openBrowser() first: it starts this file\'s server');
  return server.url;
}

/** This file's server's database (after `openBrowser()`): for seeding what the API cannot make quickly. */
export function serverDb() {
  if (!server?.db.connection) throw new Error('call openBrowser() first: it starts this file\'s server');
  return server.db.connection;
}

export function demoPassword(): string {
  return DEMO_PASSWORD;
}

/** Starts this file's server (once; `config` overrides its configuration, e.g. a local stand-in's address) and a Chromium. */
export async function openBrowser(config: Partial<Config> = {}): Promise<Browser> {
  if (!server) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-browser-'));
    server = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1', webRoot: inject('webRoot'), dataDir, demo: true, demoPassword: DEMO_PASSWORD, ...config });
  }
  return launchChromium(inject('chromiumPath'));
}

/** A fresh page that fails the test on any uncaught page error or console error. */
export async function newPage(browser: Browser, viewport: { width: number; height: number } = SCREEN.office): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(shots, { recursive: true });
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
