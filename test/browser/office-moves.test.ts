/**
 * The office moves in the browser: the applicant's 撤回申请 in the portal, staff 挂起/恢复 on
 * the case view and 撤回 in the done list, and the designer's 故障 list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';
import { signedIn } from './journey.helpers';

async function apiAs(username: string) {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword() }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return async <T>(path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${baseUrl()}/api/v1${path}`, body === undefined ? { headers: { cookie } } : { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: baseUrl() }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() as T };
  };
}

type TaskRow = { id: string; caseNo: string; name: string; outcomes: string[]; department: string };

describe('office moves in the browser', () => {
  let browser: Browser;
  let file: () => Promise<{ id: string; no: string }>;
  beforeAll(async () => {
    browser = await openBrowser();
    const applicant = await apiAs('luan.applicant');
    const data = loadCity('luan').forms.find((f) => f.key === 'luan-retirement-unit')!.example as Record<string, unknown>;
    file = async () => {
      const res = await applicant<{ id: string; no: string }>('/cases', { matter: 'luan-retirement', form: 'luan-retirement-unit', data });
      expect(res.status).toBe(201);
      return res.body;
    };
  });
  afterAll(async () => { await browser?.close(); });

  /** The first staff task of a case and who works it. */
  async function firstTask(caseNo: string): Promise<{ user: string; task: TaskRow }> {
    for (const user of ['luan.window', 'luan.hrss']) {
      const task = (await (await apiAs(user))<TaskRow[]>('/tasks?limit=200')).body.find((t) => t.caseNo === caseNo);
      if (task) return { user, task };
    }
    throw new Error(`no staff task for ${caseNo}`);
  }

  it('should let the applicant withdraw a case not yet accepted', async () => {
    const c = await file();
    const { page, errors } = await signedIn(browser, 'luan.applicant', /\/apply/, SCREEN.phone);
    await page.goto(`${baseUrl()}/my/cases/${c.id}`);
    await page.getByTestId('withdraw').click();
    await page.getByLabel('原因').fill('已决定暂缓退休');
    await screenshot(page, 'office-moves-withdraw-dialog-phone');
    await page.getByRole('button', { name: '确认撤回' }).click();
    await page.getByTestId('case-status').getByText('已撤回').waitFor();
    await expect(page.getByTestId('withdraw').count()).resolves.toBe(0);
    await page.getByText('撤回申请').first().waitFor();
    // the items lapsed with the case: 已撤回, not 「不适用」
    const items = page.getByRole('region', { name: '联办事项办理情况' });
    expect(await items.textContent()).toContain('已撤回');
    expect(await items.textContent()).not.toContain('不适用');
    await screenshot(page, 'office-moves-withdrawn-phone');
    expect(errors).toEqual([]);
  });

  it('should let staff suspend and resume a case from its view, then recall a completion from the done list', async () => {
    const c = await file();
    const { user, task } = await firstTask(c.no);
    const { page, errors } = await signedIn(browser, user, /\/tasks/);
    await page.goto(`${baseUrl()}/tasks/${task.id}`);
    await page.getByTestId('suspend').click();
    await page.getByLabel('原因').fill('等待劳动能力鉴定结论');
    await page.getByRole('button', { name: '挂起', exact: true }).last().click();
    await page.getByTestId('suspended').waitFor();
    await screenshot(page, 'office-moves-suspended-staff');
    // while suspended the page says so at its top and offers no 认领, 办理 or 退回 (the server refuses them)
    const banner = (await page.getByTestId('suspended').boundingBox())!;
    expect(banner.y).toBeLessThan((await page.locator('.lb-task-toolbar').boundingBox())!.y);
    for (const name of ['认领', '提交办理结果', '退回']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    // and in the tasklist its row says 已挂起 instead of offering 认领
    await page.goto(`${baseUrl()}/tasks`);
    const queued = page.locator(`tr[data-case="${c.no}"]`);
    await queued.getByText('已挂起').waitFor();
    expect(await queued.getByRole('button', { name: '认领' }).count()).toBe(0);
    await page.goto(`${baseUrl()}/tasks/${task.id}`);
    await page.getByTestId('suspended').getByRole('button', { name: '恢复' }).click();
    await page.getByTestId('suspend').waitFor();
    await page.getByRole('button', { name: '提交办理结果' }).waitFor();
    await page.getByText('恢复办理').first().waitFor();

    // complete over the API, then recall from the done list
    const api = await apiAs(user);
    await api(`/tasks/${task.id}/claim`, {});
    const done = await api(`/tasks/${task.id}/complete`, task.outcomes.length ? { outcome: task.outcomes[0] } : {});
    expect(done.status).toBe(200);
    await page.goto(`${baseUrl()}/tasks`);
    await page.locator('.ant-select[aria-label="状态"]').click();
    await page.locator('.ant-select-item-option[title="已办结"]').click();
    // finished tasks are loaded now, and the page says how far back they go
    expect(await page.getByTestId('history-scope').innerText()).toBe('已办仅列出近 90 天内有变动的办件（最多 1000 件）');
    expect(await page.getByRole('link', { name: '更早的办件请用「办件查询」' }).getAttribute('href')).toBe('/cases');
    const row = page.locator(`tr[data-case="${c.no}"]`);
    await row.getByTestId('recall').waitFor();
    await screenshot(page, 'office-moves-recall-staff');
    await row.getByTestId('recall').click();
    await page.getByRole('button', { name: '撤回', exact: true }).last().click();
    await page.getByText('已撤回，该待办已回到您的名下').waitFor();
    const view = await api<{ tasks: { id: string; state: string }[] }>(`/cases/${c.id}`);
    expect(view.body.tasks.find((t) => t.id === task.id)!.state).toBe('claimed');
    expect(errors).toEqual([]);
  });

  it('should show the designer admin the 故障 list', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${baseUrl()}/designer/admin?tab=incidents`);
    await page.getByLabel('账户').fill('luan.admin');
    await page.getByLabel('密码').fill(demoPassword());
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: /城市管理/ }).waitFor();
    await page.getByRole('tab', { name: '故障' }).click();
    await page.getByText('暂无故障').waitFor();
    await screenshot(page, 'office-moves-incidents-admin');
    expect(errors).toEqual([]);
  });
});
