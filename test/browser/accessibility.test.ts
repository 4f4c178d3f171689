/**
 * Accessibility (适老化 / GB/T 37668): axe-core finds no serious or critical violation on any
 * portal or tasklist page, in the standard view (office screen) and in care mode (关怀模式, on
 * a phone). Screenshots of both modes go to test-results/screenshots/a11y-*.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, newPage, openBrowser, screenshot, SCREEN } from './page';
import { cell, completionBody, signIn } from './journey.helpers';
import { expectNoSeriousViolations } from './axe';

const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
const MODES = [
  { mode: 'normal', care: false, screen: SCREEN.office },
  { mode: 'care', care: true, screen: SCREEN.phone },
] as const;

/** The bpmn-js diagram is a third-party SVG canvas, named as one image (role="img"); its inner SVG is not ours to fix. */
const FLOW = { exclude: ['.lb-flow-canvas > *'] };

async function api<T>(page: Page, method: 'get' | 'post', path: string, data?: unknown): Promise<T> {
  const res = await page.request[method](`${baseUrl()}/api/v1${path}`, data === undefined ? undefined : { data });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300);
  return await res.json() as T;
}

/** A page in the given mode, signed in as `user` (or not signed in). */
async function pageIn(browser: Browser, m: (typeof MODES)[number], user?: string, landing?: RegExp) {
  const p = await newPage(browser, m.screen);
  await p.page.context().addInitScript((care) => { if (care) localStorage.setItem('lianban.care', '1'); else localStorage.removeItem('lianban.care'); }, m.care);
  if (user) await signIn(p.page, user, landing!);
  return p;
}

const settled = (page: Page) => page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));

describe('accessibility of every portal and tasklist page (axe-core)', () => {
  let browser: Browser;
  let caseId: string;
  let applicantTaskId: string;
  let staffTaskId: string;
  beforeAll(async () => {
    browser = await openBrowser();
    // a case that reached the applicant's 附件5 task, and a fresh one waiting for 人社
    const applicant = await pageIn(browser, MODES[0], 'changzhou.applicant', /\/apply$/);
    const first = await api<{ id: string; no: string }>(applicant.page, 'post', '/cases', { matter: 'changzhou-retirement', form: 'changzhou-retirement', data: { ...example, socializedManagement: true, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined } });
    caseId = first.id;
    const second = await api<{ id: string; no: string }>(applicant.page, 'post', '/cases', { matter: 'changzhou-retirement', form: 'changzhou-retirement', data: { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined } });
    const hrss = await pageIn(browser, MODES[0], 'changzhou.hrss', /\/tasks$/);
    for (const name of ['企业职工退休审批', '企业职工基本养老保险待遇核定', '职工退休养老证发放']) {
      const tasks = await api<{ id: string; caseNo: string; name: string }[]>(hrss.page, 'get', '/tasks');
      const task = tasks.find((x) => x.caseNo === first.no && x.name === name)!;
      await api(hrss.page, 'post', `/tasks/${task.id}/complete`, completionBody(name, name === '企业职工退休审批' ? 'approved' : undefined));
    }
    const staffTasks = await api<{ id: string; caseNo: string }[]>(hrss.page, 'get', '/tasks');
    staffTaskId = staffTasks.find((x) => x.caseNo === second.no)!.id;
    const mine = await api<{ id: string; caseNo: string }[]>(applicant.page, 'get', '/tasks');
    applicantTaskId = mine.find((x) => x.caseNo === first.no)!.id;
    await applicant.page.context().close();
    await hrss.page.context().close();
  });
  afterAll(async () => { await browser?.close(); });

  for (const m of MODES) {
    it(`should have no serious violations on the public pages (${m.mode})`, async () => {
      const { page, errors } = await pageIn(browser, m);
      await page.goto(baseUrl() + '/');
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.evaluate(() => document.documentElement.classList.contains('lb-care'))).toBe(m.care);
      await expectNoSeriousViolations(page, `home (${m.mode})`);
      await screenshot(page, `a11y-home-${m.mode}`);
      await page.goto(baseUrl() + '/login');
      await page.getByLabel('用户名').waitFor();
      await expectNoSeriousViolations(page, `sign-in (${m.mode})`);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('.ant-form-item-explain-error').first().waitFor();
      await expectNoSeriousViolations(page, `sign-in with errors (${m.mode})`);
      await screenshot(page, `a11y-login-${m.mode}`);
      await page.goto(baseUrl() + '/no-such-page');
      await page.getByText('页面不存在').waitFor();
      await expectNoSeriousViolations(page, `not found (${m.mode})`);
      expect(errors).toEqual([]);
    });

    it(`should have no serious violations on the applicant's pages (${m.mode})`, async () => {
      const { page, errors } = await pageIn(browser, m, 'changzhou.applicant', /\/apply$/);
      await page.getByTestId('my-cases').locator('[data-case]').first().waitFor();
      await expectNoSeriousViolations(page, `matter choice and my cases (${m.mode})`);
      await screenshot(page, `a11y-apply-${m.mode}`);
      await page.getByRole('button', { name: /消息通知/ }).click();
      await page.locator('.lb-notifications').waitFor();
      await page.waitForTimeout(300);
      await expectNoSeriousViolations(page, `notifications (${m.mode})`);
      await page.keyboard.press('Escape');

      await page.goto(`${baseUrl()}/apply/changzhou-retirement/changzhou-retirement`);
      await cell(page, 'unitName').waitFor();
      await expectNoSeriousViolations(page, `application form (${m.mode})`);
      await screenshot(page, `a11y-form-${m.mode}`);
      // errors shown: submit (standard) or next step (care) with nothing filled
      await page.getByRole('button', { name: m.care ? '下一步' : '提交申请' }).click();
      await page.getByTestId('form-error').waitFor();
      await expectNoSeriousViolations(page, `application form with errors (${m.mode})`);
      const invalid = page.locator('[aria-invalid="true"]').first();
      expect(await invalid.getAttribute('aria-describedby')).toMatch(/-error/);
      await screenshot(page, `a11y-form-errors-${m.mode}`);

      await page.goto(`${baseUrl()}/my/cases/${caseId}/submitted`);
      await page.getByTestId('submitted-no').waitFor();
      await expectNoSeriousViolations(page, `confirmation (${m.mode})`);
      await screenshot(page, `a11y-submitted-${m.mode}`);
      await page.goto(`${baseUrl()}/my/cases/${caseId}`);
      await page.locator('.lb-flow-canvas[data-state="ready"]').waitFor();
      await expectNoSeriousViolations(page, `case detail (${m.mode})`, FLOW);
      // the items' names stay readable (care mode on a phone once squeezed them to a character a line)
      const itemName = await page.locator('.lb-items tbody tr[data-item] td').first().boundingBox();
      expect(itemName!.width).toBeGreaterThan(80);
      await screenshot(page, `a11y-case-${m.mode}`);
      await page.goto(`${baseUrl()}/my/tasks/${applicantTaskId}`);
      await page.getByRole('heading', { name: '企业退休人员社会化管理服务基本信息采集表' }).waitFor();
      await settled(page);
      await expectNoSeriousViolations(page, `applicant task (${m.mode})`);
      if (m.care) {
        // the supplementary sheet is filled step by step too; 下一步 with nothing filled shows this step's errors
        expect(await page.getByTestId('steps').locator('.lb-steps-count').textContent()).toMatch(/^第 1 步，共 2 步/);
        await page.getByRole('button', { name: '下一步' }).click();
        await page.getByTestId('form-error').waitFor();
        await expectNoSeriousViolations(page, 'applicant task with errors (care)');
        await screenshot(page, 'a11y-mytask-errors-care');
      }
      await page.goto(`${baseUrl()}/my/cases/${caseId}/print`);
      await page.locator('.lb-readonly').waitFor();
      await settled(page);
      await expectNoSeriousViolations(page, `print (${m.mode})`);
      expect(errors).toEqual([]);
    });

    it(`should have no serious violations on the staff pages (${m.mode})`, async () => {
      const { page, errors } = await pageIn(browser, m, 'changzhou.hrss', /\/tasks$/);
      await page.locator('tr[data-case]').first().waitFor();
      await settled(page);
      await expectNoSeriousViolations(page, `tasklist (${m.mode})`);
      await screenshot(page, `a11y-tasklist-${m.mode}`);
      await page.goto(`${baseUrl()}/tasks/${staffTaskId}`);
      await page.getByTestId('complete-panel').waitFor();
      await page.locator('.lb-flow-canvas[data-state="ready"]').waitFor();
      await expectNoSeriousViolations(page, `task completion (${m.mode})`, FLOW);
      await screenshot(page, `a11y-task-${m.mode}`);
      await page.goto(`${baseUrl()}/cases/${caseId}`);
      await page.getByTestId('case-head').waitFor();
      await page.locator('.lb-flow-canvas[data-state="ready"]').waitFor();
      await expectNoSeriousViolations(page, `staff case detail (${m.mode})`, FLOW);
      const admin = await pageIn(browser, m, 'changzhou.admin', /\/dashboard$/);
      await admin.page.locator('.lb-chart[data-ready="true"]').first().waitFor();
      await expectNoSeriousViolations(admin.page, `dashboard (${m.mode})`);
      await screenshot(admin.page, `a11y-dashboard-${m.mode}`);
      expect([...errors, ...admin.errors]).toEqual([]);
    });
  }
});
