/**
 * Portal: page weight and time to interactive of the applicant's form page, beside the plain
 * Home page measured in the same run, in headless Chromium against the real server.
 *
 * - Weight: bytes of JS and CSS the page loads — on the wire as served (koa-compress) and
 *   each file gzipped at zlib level 6 (what a compressing proxy would send).
 * - Time to interactive: from navigation start until the form's first input is enabled
 *   (常州 附件3 at /apply/changzhou-retirement/changzhou-retirement, signed in as the demo
 *   applicant, its matter fetched from the API), vs until the Home page's first entry link
 *   is present. A fresh browser context (cold cache) per sample.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { configFromEnv, startServer } from '@lianban/server';
import { launchChromium } from '@lianban/test/browser/chromium';
import { compare, repeat, type Benchmark, type BenchResult } from './lib';

const repo = path.resolve(import.meta.dirname, '..');
const RUNS = 5;
const PASSWORD = 'Bench-Portal-2026';

interface Sample { ms: number; served: number; gzip: number }

/** Loads `url` in a fresh context and measures until `ready` (a selector predicate) holds. */
async function sample(browser: Browser, url: string, ready: string, signIn?: string): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  if (signIn) {
    const res = await context.request.post(new URL('/api/v1/auth/login', url).href, { data: { username: signIn, password: PASSWORD } });
    if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
  }
  const page: Page = await context.newPage();
  const bodies: Promise<{ body: Buffer; wire: number } | null>[] = [];
  page.on('response', (r) => {
    const type = r.request().resourceType();
    if (type === 'script' || type === 'stylesheet') {
      bodies.push(Promise.all([r.body(), r.request().sizes()]).then(([body, sizes]) => ({ body, wire: sizes.responseBodySize })).catch(() => null));
    }
  });
  await page.goto(url);
  await page.waitForFunction((sel) => {
    const el = document.querySelector<HTMLInputElement>(sel);
    if (!el || el.disabled) return false;
    if (!performance.getEntriesByName('lb-ready').length) performance.mark('lb-ready');
    return true;
  }, ready, { polling: 'raf' });
  const ms = await page.evaluate(() => performance.getEntriesByName('lb-ready')[0]!.startTime);
  const files = (await Promise.all(bodies)).filter((b) => !!b);
  await context.close();
  return { ms, served: files.reduce((n, f) => n + f.wire, 0), gzip: files.reduce((n, f) => n + zlib.gzipSync(f.body, { level: 6 }).length, 0) };
}

const portal: Benchmark = {
  name: 'portal form page',
  async run(): Promise<BenchResult[]> {
    const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-bench-web-'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-bench-db-'));
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: path.join(repo, 'runtime/vite.config.ts'), logLevel: 'warn', mode: 'production', build: { outDir: path.join(webRoot, 'portal'), emptyOutDir: true } });
    } finally { process.env.NODE_ENV = nodeEnv; }
    const server = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1', webRoot, dataDir, demo: true, demoPassword: PASSWORD });
    const browser = await launchChromium();
    try {
      const home = `${server.url}/`;
      const form = `${server.url}/apply/changzhou-retirement/changzhou-retirement`;
      await sample(browser, form, '.lb-cell input', 'changzhou.applicant'); // warm the server's caches
      const homes: Sample[] = [];
      const forms: Sample[] = [];
      await repeat(RUNS, async () => {
        homes.push(await sample(browser, home, 'a[href="/apply"]'));
        forms.push(await sample(browser, form, '.lb-cell input', 'changzhou.applicant'));
        return 0;
      });
      const kb = (xs: Sample[], k: 'served' | 'gzip') => xs.map((s) => s[k] / 1024);
      return [
        compare({ name: 'form page JS+CSS, gzip', unit: 'KB', samples: kb(forms, 'gzip'), baselineSamples: kb(homes, 'gzip'), baselineName: 'Home page', target: { on: 'value', op: '<=', value: 600 }, note: 'gzip level 6 of each file' }),
        compare({ name: 'form page JS+CSS, on the wire as served', unit: 'KB', samples: kb(forms, 'served'), baselineSamples: kb(homes, 'served'), baselineName: 'Home page' }),
        compare({ name: 'form page time to first enabled input', unit: 'ms', samples: forms.map((s) => s.ms), baselineSamples: homes.map((s) => s.ms), baselineName: 'Home page first link', target: { on: 'value', op: '<=', value: 3000 }, note: 'cold cache, loopback, includes GET /me and GET /matters/:key' }),
      ];
    } finally {
      await browser.close();
      await server.close();
      fs.rmSync(webRoot, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default portal;
