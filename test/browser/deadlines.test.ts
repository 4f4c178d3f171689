/**
 * Issue 22 part 4 in the browser: a matter's 承诺时限 set by the city admin, then the staff
 * tasklist's case-deadline tag (剩余 N 个工作日, 暂停计时 while suspended) with its filter, and
 * the 承诺时限 line of the case head.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { deadlineDue, deadlineStatus } from '@lianban/runtime';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';
import { designerSignIn, signedIn } from './journey.helpers';

async function apiAs(username: string) {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword() }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${baseUrl()}/api/v1${path}`, { method, headers: { 'content-type': 'application/json', cookie, origin: baseUrl() }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: await res.json() as T };
  };
}

type TaskRow = { id: string; caseNo: string; caseDueAt: string | null };

describe('deadlines in the tasklist', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should show each task\'s case deadline as a coloured tag, filter by it, and show it on the case', async () => {
    // the admin gives the 六安 matter a 承诺时限 of 20 working days and publishes it
    const admin = await apiAs('luan.admin');
    const draft = (await admin<{ title: string; draft: Record<string, unknown> }>('GET', '/admin/matters/luan-retirement')).body;
    const { updatedAt: _u, updatedBy: _b, ...body } = draft.draft;
    expect((await admin('PUT', '/admin/matters/luan-retirement', { ...body, title: draft.title, timeLimit: { workdays: 20 } })).status).toBe(200);
    expect((await admin('POST', '/admin/matters/luan-retirement/publish')).status).toBe(200);

    // two cases: one running, one suspended (its clock stands still)
    const applicant = await apiAs('luan.applicant');
    const data = loadCity('luan').forms.find((f) => f.key === 'luan-retirement-unit')!.example as Record<string, unknown>;
    const file = async () => (await applicant<{ id: string; no: string }>('POST', '/cases', { matter: 'luan-retirement', form: 'luan-retirement-unit', data })).body;
    const running = await file();
    const held = await file();
    let user = '';
    let tasks: TaskRow[] = [];
    for (const u of ['luan.window', 'luan.hrss']) {
      tasks = (await (await apiAs(u))<TaskRow[]>('GET', '/tasks?limit=200')).body;
      if (tasks.some((t) => t.caseNo === running.no)) { user = u; break; }
    }
    expect(user).not.toBe('');
    const staff = await apiAs(user);
    expect((await staff('POST', `/cases/${held.id}/suspend`, { reason: '等待劳动能力鉴定结论' })).status).toBe(200);
    const task = tasks.find((t) => t.caseNo === running.no)!;
    const view = (await staff<{ submittedAt: string; deadline: { dueAt: string } }>('GET', `/cases/${running.id}`)).body;
    expect(task.caseDueAt).toBe(deadlineDue(new Date(view.submittedAt), 20).toISOString());
    const left = deadlineStatus(task.caseDueAt!, new Date()).workdaysLeft;

    const { page, errors } = await signedIn(browser, user, /\/tasks/);
    await page.goto(`${baseUrl()}/tasks`);
    const runningTag = page.locator(`tr[data-case="${running.no}"]`).getByTestId('deadline-tag');
    await expect(runningTag.textContent()).resolves.toBe(`剩余 ${left} 个工作日`);
    await expect(runningTag.evaluate((el) => el.className)).resolves.toContain('blue');
    const heldTag = page.locator(`tr[data-case="${held.no}"]`).getByTestId('deadline-tag');
    await expect(heldTag.textContent()).resolves.toBe('暂停计时');
    await screenshot(page, 'deadlines-tasklist');

    // the filter: only the paused case's row remains
    await page.locator('div.ant-select[aria-label="按承诺时限筛选"]').click();
    await page.locator('.ant-select-item-option').getByText('暂停计时', { exact: true }).click();
    await page.locator(`tr[data-case="${running.no}"]`).waitFor({ state: 'detached' });
    await expect(page.locator(`tr[data-case="${held.no}"]`).count()).resolves.toBe(1);

    // the case head says when it is due
    await page.goto(`${baseUrl()}/tasks/${task.id}`);
    const head = page.getByTestId('case-deadline');
    await head.getByTestId('deadline-tag').waitFor();
    await expect(head.textContent()).resolves.toContain('20 个工作日');
    await screenshot(page, 'deadlines-case-head');
    expect(errors).toEqual([]);

    // the applicant's case page says it too
    const mine = await signedIn(browser, 'luan.applicant', /\/apply/, SCREEN.phone);
    await mine.page.goto(`${baseUrl()}/my/cases/${running.id}`);
    const line = mine.page.getByTestId('case-deadline');
    await line.getByTestId('deadline-tag').waitFor();
    await expect(line.getByTestId('deadline-tag').textContent()).resolves.toBe(`剩余 ${left} 个工作日`);
    await screenshot(mine.page, 'deadlines-applicant-case-phone');
    expect(mine.errors).toEqual([]);
  });

  it('should let the admin mark a department lead, edit the warning in the matter editor, and see the counts on the dashboard', async () => {
    const { page, errors } = await newPage(browser, SCREEN.office);
    await designerSignIn(page, 'luan.admin', demoPassword(), '/designer/admin');
    await page.getByRole('heading', { name: /城市管理/ }).waitFor();
    // 账户: 人社's staff account becomes its lead
    await page.getByRole('tab', { name: '账户' }).click();
    await page.locator('tr[data-row-key="luan.hrss"]').getByRole('button', { name: '编辑' }).click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByLabel('部门负责人').check();
    await modal.getByRole('button', { name: '保存' }).click();
    await page.locator('tr[data-row-key="luan.hrss"]').getByText('负责人', { exact: true }).waitFor();
    await screenshot(page, 'deadlines-designer-users');
    const admin = await apiAs('luan.admin');
    expect((await admin<{ username: string; lead: boolean }[]>('GET', '/admin/users')).body.find((u) => u.username === 'luan.hrss')!.lead).toBe(true);

    // the matter editor shows the 承诺时限 set before; the warning becomes 3 working days
    await page.goto(`${baseUrl()}/designer/matters/luan-retirement`);
    const limit = page.getByLabel('承诺时限（工作日）');
    await limit.waitFor();
    await expect(limit.inputValue()).resolves.toBe('20');
    await page.getByLabel('到期前预警（工作日）').fill('3');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('草稿已保存').waitFor();
    await page.getByTestId('matter-time-limit-fields').screenshot({ path: await screenshot(page, 'deadlines-matter-editor').then((f) => f.replace('.png', '-fields.png')) });
    expect((await admin<{ draft: { timeLimit: unknown } }>('GET', '/admin/matters/luan-retirement')).body.draft.timeLimit).toEqual({ workdays: 20, warnWorkdays: 3 });

    // the dashboard counts the open cases with a deadline per matter (one running, one suspended)
    await page.goto(`${baseUrl()}/dashboard`);
    const row = page.getByTestId('dash-deadlines').locator('tbody tr').first();
    await row.waitFor();
    await expect(row.locator('td').allTextContents()).resolves.toEqual(['企业职工退休“一件事一次办”', '2', '0', '0', '1']);
    await screenshot(page, 'deadlines-dashboard');
    expect(errors).toEqual([]);
  });
});
