/**
 * 统一身份认证 in Chromium: the portal's 「统一身份认证登录」 → the identity platform's login page (a
 * real OIDC provider in this process, on another site: localhost vs 127.0.0.1) → back signed in on
 * 我的办件. The designer's sign-in page shows the button too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { configFromEnv, startServer, type RunningServer } from '@lianban/server';
import { launchChromium } from './chromium';
import { newPage, screenshot, SCREEN } from './page';
import { CLIENT, startTestProvider, type TestProvider } from '../server/oidc-provider';

describe('统一身份认证 sign-in in the browser', () => {
  let browser: Browser;
  let idp: TestProvider;
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    idp = await startTestProvider();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-oidc-browser-'));
    server = await startServer({
      ...configFromEnv({ LIANBAN_OIDC_ISSUER: idp.issuer, LIANBAN_OIDC_CLIENT_ID: CLIENT.id, LIANBAN_OIDC_CLIENT_SECRET: CLIENT.secret }),
      port: 0, host: '127.0.0.1', webRoot: inject('webRoot'), dataDir, demo: true, demoPassword: 'Browser-Test-2026',
    });
    idp.register(`${server.url}/api/v1/auth/oidc/callback`);
    browser = await launchChromium(inject('chromiumPath'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('should sign an applicant in through the identity platform from the portal and show 我的办件', async () => {
    const { page } = await newPage(browser, SCREEN.office);
    // errors of our pages only: the stand-in provider's page loads a web font it cannot reach here
    const errors: string[] = [];
    page.on('pageerror', (e) => { if (page.url().startsWith(server.url)) errors.push(`pageerror: ${e.message}`); });
    page.on('console', (m) => { if (m.type() === 'error' && m.location().url.startsWith(server.url)) errors.push(`console: ${m.text()} ${m.location().url}`); });
    await page.goto(`${server.url}/login`);
    const button = page.getByRole('button', { name: '统一身份认证登录' });
    await button.waitFor();
    // two cities: the person picks theirs first
    expect(await button.isDisabled()).toBe(true);
    await page.getByRole('combobox', { name: '办事城市' }).click();
    await page.getByTitle('六安市').click();
    await screenshot(page, 'oidc-portal-login');
    await button.click();
    // the platform's own login page (another site)
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    await page.locator('input[name="login"]').fill('wangfang');
    await page.locator('input[name="password"]').fill('any-password');
    await screenshot(page, 'oidc-provider-login');
    await page.locator('button[type="submit"]').click();
    // back on the platform, signed in
    await page.waitForURL(`${server.url}/apply`);
    await page.getByText('我的办件').first().waitFor();
    await page.getByText('王芳').first().waitFor();
    await screenshot(page, 'oidc-portal-signed-in');
    const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
    expect(me.user).toMatchObject({ displayName: '王芳', roles: ['applicant'], tenant: 'luan', authLevel: 3 });
    expect(errors).toEqual([]);
  });

  it('should show the button on the designer sign-in page too', async () => {
    const { page, errors } = await newPage(browser, SCREEN.office);
    await page.goto(`${server.url}/designer/signin`);
    await page.getByRole('button', { name: '统一身份认证登录' }).waitFor();
    await screenshot(page, 'oidc-designer-signin');
    expect(errors).toEqual([]);
  });

  it('should show a refused sign-in (a forged state) as a page in Chinese with a way back', async () => {
    const { page } = await newPage(browser, SCREEN.phone);
    const res = await page.goto(`${server.url}/api/v1/auth/oidc/callback?code=stolen&state=forged-state-value`);
    expect(res?.status()).toBe(400);
    await page.getByRole('alert').getByText('登录请求无效或已过期').waitFor();
    await screenshot(page, 'oidc-refused');
    await page.getByRole('link', { name: '返回登录页' }).click();
    await page.getByRole('button', { name: '统一身份认证登录' }).waitFor();
  });
});
