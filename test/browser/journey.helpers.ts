/**
 * Shared steps of the browser journeys: sign in, fill form fields through the UI by data path,
 * find and complete a staff task. Used by journey*.test.ts, portal*.test.ts and tasklist*.test.ts.
 */
import type { Browser, Page } from 'playwright-core';
import { baseUrl, demoPassword, newPage, SCREEN } from './page';
import { loadCity } from '@lianban/templates';

export const cell = (page: Page, path: string) => page.locator(`.lb-cell[data-path="${path}"], .lb-row-cell[data-path="${path}"]`).first();

/**
 * Signs in to the designer: its sign-in page (or `at`, e.g. `/designer/admin`, which shows the form
 * in place) and waits until the form is gone; the caller then waits for the page it expects.
 */
export async function designerSignIn(page: Page, username: string, password: string = demoPassword(), at = '/designer/signin') {
  await page.goto(`${baseUrl()}${at}`);
  const account = page.getByLabel('账户');
  await account.fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  // (not the button: while signing in it shows a spinner and its name is no longer 「登录」)
  await account.waitFor({ state: 'hidden' });
}

/** Signs in through the sign-in page and waits for the start page of the role. */
export async function signIn(page: Page, username: string, landing: RegExp) {
  await page.goto(baseUrl() + '/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(demoPassword());
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(landing);
}

/** A fresh page signed in as `username`. */
export async function signedIn(browser: Browser, username: string, landing: RegExp, screen: { width: number; height: number } = SCREEN.office) {
  const p = await newPage(browser, screen);
  await signIn(p.page, username, landing);
  return p;
}

/** The 六安 demo applicant submits the shipped example of the 单位代办 form through the API: the created case. */
export async function submitLuanExample(): Promise<{ id: string; no: string }> {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'luan.applicant', password: demoPassword() }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const data = loadCity('luan').forms.find((f) => f.key === 'luan-retirement-unit')!.example as Record<string, unknown>;
  const res = await fetch(`${baseUrl()}/api/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: baseUrl() }, body: JSON.stringify({ matter: 'luan-retirement', form: 'luan-retirement-unit', data }) });
  if (res.status !== 201) throw new Error(`submitting the 六安 example: ${res.status} ${await res.text()}`);
  return await res.json() as { id: string; no: string };
}

export async function text(page: Page, path: string, value: string) {
  await cell(page, path).locator('input, textarea').first().fill(value);
}

export async function choose(page: Page, path: string, label: string) {
  await cell(page, path).getByText(label, { exact: true }).click();
}

/** Picks an option of an antd Select (it must be among the first rendered options). */
export async function select(page: Page, path: string, label: string) {
  await cell(page, path).locator('.ant-select').click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click();
}

/** Types a month or date into an antd DatePicker and confirms it. */
export async function date(page: Page, path: string, value: string) {
  const input = cell(page, path).locator('.ant-picker input');
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await page.keyboard.press('Escape');
}

/** Opens the task of the case in the staff tasklist, completes it with `outcome` (a Chinese label), `fill` filling its form. */
export async function completeTask(page: Page, caseNo: string, taskName: string, outcome?: string, comment?: string, fill?: (page: Page) => Promise<void>) {
  await page.goto(baseUrl() + '/tasks');
  const row = page.locator(`tr[data-case="${caseNo}"][data-task="${taskName}"]`);
  await row.waitFor();
  await row.getByRole('link', { name: '办理' }).click();
  const panel = page.getByTestId('complete-panel');
  await panel.waitFor();
  await panel.getByRole('button', { name: '认领' }).click();
  await panel.getByRole('button', { name: '取消认领' }).waitFor();
  if (outcome) await panel.getByText(outcome, { exact: true }).click();
  // the task's own form (e.g. a result form: 月基本养老金, 退休证编号)
  if (fill) await fill(page);
  if (comment) await panel.getByLabel('办理意见').fill(comment);
  await panel.getByRole('button', { name: '提交办理结果' }).click();
  await page.waitForURL(/\/tasks$/);
}

/** Element ids the case's diagram marks as done / active. */
export async function diagramMarks(page: Page) {
  await page.locator('.lb-flow-canvas[data-state="ready"]').waitFor();
  return page.evaluate(() => ({
    done: [...document.querySelectorAll('.lb-flow-canvas .djs-element.lb-done')].map((e) => e.getAttribute('data-element-id')),
    active: [...document.querySelectorAll('.lb-flow-canvas .djs-element.lb-active')].map((e) => e.getAttribute('data-element-id')),
  }));
}

/** Staff tasks that declare their linked item's result (x-item-result): the city and result form, by task name. */
const RESULT_FORMS: Record<string, { city: 'luan' | 'changzhou'; form: string; outcomes?: string[] }> = {
  企业职工基本养老保险待遇核定: { city: 'changzhou', form: 'changzhou-pension-result' },
  职工退休养老证发放: { city: 'changzhou', form: 'changzhou-certificate-result' },
  退休人员住房公积金提取: { city: 'changzhou', form: 'changzhou-housing-fund-result', outcomes: ['done'] },
  在职转退休医疗保险办理: { city: 'changzhou', form: 'changzhou-medical-result', outcomes: ['done'] },
  职工医疗保险在职转退休: { city: 'luan', form: 'luan-medical-result', outcomes: ['done'] },
  退休职工住房公积金提取: { city: 'luan', form: 'luan-housing-fund-result', outcomes: ['done'] },
};

/** The API body completing a staff task: the outcome and, where the task declares its item's result, the shipped example result. */
export function completionBody(taskName: string, outcome?: string): { outcome?: string; data?: Record<string, unknown> } {
  const spec = RESULT_FORMS[taskName];
  const needsResult = spec && (!spec.outcomes || (outcome !== undefined && spec.outcomes.includes(outcome)));
  const data = needsResult ? loadCity(spec.city).forms.find((f) => f.key === spec.form)?.example as Record<string, unknown> | undefined : undefined;
  return { ...(outcome ? { outcome } : {}), ...(data ? { data } : {}) };
}
