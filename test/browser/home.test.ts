import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, newPage, openBrowser, screenshot, SCREEN } from './page';

describe('portal and designer pages served by the real server', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should show the portal home in Chinese with the three entries', async () => {
    // given
    const { page, errors } = await newPage(browser, SCREEN.office);
    // when
    await page.goto(baseUrl() + '/');
    // then
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor();
    expect(await heading.textContent()).toBe('联办 · 一件事一次办');
    for (const name of ['我要办事', '工作人员办理', '管理员设计器']) {
      expect(await page.getByRole('link', { name }).count()).toBe(1);
    }
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await screenshot(page, 'portal-home-office');
    expect(errors).toEqual([]);
  });

  it('should switch the portal to English and remember it', async () => {
    const { page } = await newPage(browser, SCREEN.phone);
    await page.goto(baseUrl() + '/');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Lianban · one thing, one visit' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Lianban · one thing, one visit' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await screenshot(page, 'portal-home-phone-en');
  });

  it('should serve the designer under /designer/ with client-side routes falling back to it', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(baseUrl() + '/designer/forms/anything');
    await page.getByText('联办设计器').first().waitFor();
    expect(await page.title()).toBe('联办设计器');
    await screenshot(page, 'designer-home');
    expect(errors).toEqual([]);
  });
});
