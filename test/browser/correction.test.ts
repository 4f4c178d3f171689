/**
 * 退回申请人补正 in the browser: 人社 returns a 六安 case to the applicant for 补正 (two fields,
 * one with a note) → the applicant sees one notice listing both, corrects only those fields (the
 * rest is locked) and resubmits → the task is back in 人社's queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, openBrowser, screenshot } from './page';
import { signedIn } from './journey.helpers';

async function session(username: string): Promise<string> {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword() }) });
  expect(login.status).toBe(200);
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

async function call<T>(cookie: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl()}/api/v1${path}`, { method, headers: { 'content-type': 'application/json', cookie }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

describe('退回申请人补正 in the browser', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should return a 六安 case for 补正, let the applicant correct only the listed fields, and put the task back in 人社\'s queue', async () => {
    // given a 六安 case accepted at the window, waiting for 人社's approval
    const applicantCookie = await session('luan.applicant');
    const form = loadCity('luan').forms.find((f) => f.key === 'luan-retirement-unit')!;
    const created = await call<{ id: string; no: string }>(applicantCookie, 'POST', '/cases', { matter: 'luan-retirement', form: 'luan-retirement-unit', data: form.example });
    const windowCookie = await session('luan.window');
    const windowTask = (await call<{ id: string; caseNo: string }[]>(windowCookie, 'GET', '/tasks?limit=200')).find((t) => t.caseNo === created.no)!;
    await call(windowCookie, 'POST', `/tasks/${windowTask.id}/complete`, { outcome: 'accept' });

    // when 人社 opens the task and returns it to the applicant, listing two fields
    const hrss = await signedIn(browser, 'luan.hrss', /\/tasks$/);
    const row = hrss.page.locator(`tr[data-case="${created.no}"][data-task="职工正常退休审批"]`);
    await row.getByRole('link', { name: '办理' }).click();
    await hrss.page.getByTestId('return-open').click();
    const dialog = hrss.page.getByRole('dialog');
    await dialog.getByTestId('return-to-applicant').click();
    await dialog.getByTestId('return-fields').click();
    await hrss.page.keyboard.type('联系电话');
    await hrss.page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="联系电话"]').click();
    await hrss.page.keyboard.type('代办人');
    await hrss.page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="代办人"]').click();
    await dialog.getByLabel('「联系电话」的说明').fill('请填写能接通的手机号码');
    await dialog.getByTestId('return-reason').fill('联系信息有误，无法联系代办人');
    await screenshot(hrss.page, 'tasklist-return-dialog');
    await dialog.getByRole('button', { name: '确认退回' }).click();
    await hrss.page.waitForURL(/\/tasks$/);
    await hrss.page.getByText('已退回申请人补正').waitFor();
    expect(await hrss.page.locator(`tr[data-case="${created.no}"][data-task="职工正常退休审批"]`).count()).toBe(0);

    // then the applicant sees one notice with both problems, only those fields editable
    const applicant = await signedIn(browser, 'luan.applicant', /\/apply$/);
    const page = applicant.page;
    await page.goto(`${baseUrl()}/my/cases/${created.id}`);
    const panel = page.getByTestId('correction-panel');
    await panel.waitFor();
    expect(await page.getByTestId('case-status').textContent()).toContain('待补正');
    const items = await panel.getByTestId('correction-list').locator('.ant-list-item').allTextContents();
    expect(items).toEqual(['1. 联系电话：请填写能接通的手机号码', '2. 代办人']);
    await expect.poll(() => panel.locator('.lb-cell[data-path="unitName"]').locator('input').first().isDisabled()).toBe(true);
    expect(await panel.locator('.lb-cell[data-path="agentPhone"]').locator('input').first().isDisabled()).toBe(false);
    const outline = (path: string) => panel.locator(`.lb-cell[data-path="${path}"]`).evaluate((el) => getComputedStyle(el).outlineStyle);
    expect([await outline('agentPhone'), await outline('agentName'), await outline('unitName')]).toEqual(['solid', 'solid', 'none']);
    expect(await panel.locator('.lb-cell[data-path="agentPhone"] .lb-help').textContent()).toContain('补正说明：请填写能接通的手机号码');
    await screenshot(page, 'portal-correction');

    // when the applicant corrects the phone number and resubmits
    await panel.locator('.lb-cell[data-path="agentPhone"]').locator('input').first().fill('13800000000');
    await panel.getByTestId('resubmit').click();
    await page.getByText('补正已提交，办件继续办理').waitFor();
    await expect.poll(async () => page.getByTestId('case-status').textContent()).toContain('办理中');
    expect(await page.getByTestId('correction-panel').count()).toBe(0);

    // then the task is back in 人社's queue, and the case holds the corrected number
    await hrss.page.goto(`${baseUrl()}/tasks`);
    await hrss.page.locator(`tr[data-case="${created.no}"][data-task="职工正常退休审批"]`).waitFor();
    const view = await call<{ data: { agentPhone: string; unitName: string } }>(applicantCookie, 'GET', `/cases/${created.id}`);
    expect(view.data.agentPhone).toBe('13800000000');
    expect(view.data.unitName).toBe('六安示例机械制造有限公司');
    expect(hrss.errors).toEqual([]);
    expect(applicant.errors).toEqual([]);
  });
});
