/**
 * 好差评 in the browser (issue 23, part 3): the applicant rates an ended case on its page — a
 * 差评 asks what went wrong — then the city admin records the 整改 and the 人社 staff the 回访
 * on the 好差评 page, where both show as done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot } from './page';
import { signedIn } from './journey.helpers';

describe('好差评 (portal and tasklist)', () => {
  let browser: Browser;
  const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
  let caseId = '';
  let caseNo = '';

  /** API calls as `username` in a throwaway context. */
  async function as<T>(username: string, go: (page: Page) => Promise<T>): Promise<T> {
    const { page } = await newPage(browser);
    await page.request.post(`${baseUrl()}/api/v1/auth/login`, { data: { username, password: demoPassword() } });
    try { return await go(page); } finally { await page.context().close(); }
  }

  beforeAll(async () => {
    browser = await openBrowser();
    // a 常州 case the 人社 rejects: it ends at once
    const sub = await as('changzhou.applicant', async (page) => {
      const data = { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
      const res = await page.request.post(`${baseUrl()}/api/v1/cases`, { data: { matter: 'changzhou-retirement', form: 'changzhou-retirement', data } });
      expect(res.status()).toBe(201);
      return await res.json() as { id: string; no: string };
    });
    caseId = sub.id; caseNo = sub.no;
    await as('changzhou.hrss', async (page) => {
      const tasks = await (await page.request.get(`${baseUrl()}/api/v1/tasks`)).json() as { id: string; caseId: string; name: string }[];
      const task = tasks.find((x) => x.caseId === caseId && x.name === '企业职工退休审批')!;
      const res = await page.request.post(`${baseUrl()}/api/v1/tasks/${task.id}/complete`, { data: { outcome: 'rejected', comment: '未达到退休年龄' } });
      expect(res.status()).toBe(200);
    });
  });
  afterAll(async () => { await browser?.close(); });

  it('should let the applicant give a 差评 with reasons on the case page', async () => {
    const { page, errors } = await signedIn(browser, 'changzhou.applicant', /\/apply$/);
    await page.goto(`${baseUrl()}/my/cases/${caseId}`);
    const card = page.getByTestId('evaluation');
    await card.waitFor();
    // two stars: 不满意 — the reasons appear
    await card.getByRole('radio').nth(1).click();
    expect(await card.getByTestId('evaluation-level').textContent()).toBe('不满意');
    await card.getByText('办理时间过长', { exact: true }).click();
    await card.getByLabel('意见建议（未选原因时必填）').fill('等了很久才有结果');
    await screenshot(page, 'evaluation-portal-poor');
    await card.getByRole('button', { name: '提交评价' }).click();
    await card.getByText('感谢您的评价').waitFor();
    const given = card.getByTestId('evaluation-given');
    await given.first().waitFor();
    expect(await given.first().textContent()).toContain('不满意');
    // stored once, for the whole case, with what was ticked and written
    const stored = await (await page.request.get(`${baseUrl()}/api/v1/cases/${caseId}/evaluations`)).json() as { score: number; item?: string; reasons: string[]; comment: string; channel: string }[];
    expect(stored).toEqual([expect.objectContaining({ score: 2, reasons: ['办理时间过长'], comment: '等了很久才有结果', channel: 'portal' })]);
    expect(stored[0]!.item).toBeUndefined();
    // the whole case is no longer offered (the items that are done still may be)
    expect(await card.getByText('整件办件：').count()).toBe(1);
    await screenshot(page, 'evaluation-portal-given');
    expect(errors).toEqual([]);
  });

  it('should let the admin record the 整改 and the 人社 the 回访 on the 好差评 page', async () => {
    const admin = await signedIn(browser, 'changzhou.admin', /\/dashboard$/);
    await admin.page.getByRole('link', { name: '好差评' }).click();
    await admin.page.waitForURL(/\/evaluations$/);
    const row = admin.page.locator('tr', { hasText: caseNo });
    await row.waitFor();
    expect(await row.textContent()).toContain('不满意');
    expect(await row.textContent()).toContain('办理时间过长');
    await row.getByRole('button', { name: '记录整改' }).click();
    await admin.page.getByLabel('整改情况').fill('已公开审批时限，超时自动提醒');
    await admin.page.getByRole('button', { name: '保存' }).click();
    await row.getByText('整改已完成').waitFor();
    await screenshot(admin.page, 'evaluation-admin');

    const hrss = await signedIn(browser, 'changzhou.hrss', /\/tasks$/);
    await hrss.page.goto(`${baseUrl()}/evaluations`);
    const mine = hrss.page.locator('tr', { hasText: caseNo });
    await mine.waitFor();
    expect(await mine.getByRole('button', { name: '记录整改' }).count()).toBe(0);
    await mine.getByRole('button', { name: '记录回访' }).click();
    await hrss.page.getByLabel('回访结果').fill('已电话回访，申请人认可');
    await hrss.page.getByRole('button', { name: '保存' }).click();
    await mine.getByText('回访已完成').waitFor();
    await hrss.page.getByTestId('filter-open').click();
    await mine.waitFor({ state: 'detached' });
    expect(admin.errors.concat(hrss.errors)).toEqual([]);
  });
});
