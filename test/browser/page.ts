/** Per-file browser helpers: one Chromium per test file, screenshots under test-results/. */
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';

export const SCREEN = { office: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;
const shots = path.resolve(import.meta.dirname, '../../test-results/screenshots');

export function baseUrl(): string {
  return inject('baseUrl');
}

export function demoPassword(): string {
  return inject('demoPassword');
}

export async function openBrowser(): Promise<Browser> {
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
