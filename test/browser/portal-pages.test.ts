/**
 * Every portal and tasklist page at the office (1366×768) and phone (390×844) sizes, with
 * screenshots, no page errors and no horizontal overflow on the phone; sign-in errors in
 * Chinese; keyboard-only sign-in; the applicant's supplementary sheet (常州 附件5) task.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';
import { cell, completionBody, signedIn } from './journey.helpers';

const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;

/** Submits a 常州 case through the API in the page's session; returns its id and number. */
async function submitCase(page: Page, data: Record<string, unknown>) {
  const res = await page.request.post(`${baseUrl()}/api/v1/cases`, { data: { matter: 'changzhou-retirement', form: 'changzhou-retirement', data } });
  expect(res.status()).toBe(201);
  return await res.json() as { id: string; no: string };
}

const noOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
const showAll = (page: Page) => page.evaluate(() => document.querySelectorAll<HTMLElement>('.lb-cell').forEach((c) => { c.style.contentVisibility = 'visible'; }));

describe('portal pages', () => {
  let browser: Browser;
  let caseId: string;
  let caseNo: string;
  beforeAll(async () => {
    browser = await openBrowser();
    const { page } = await signedIn(browser, 'changzhou.applicant', /\/apply$/);
    ({ id: caseId, no: caseNo } = await submitCase(page, { ...example, socializedManagement: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined }));
    await page.context().close();
  });
  afterAll(async () => { await browser?.close(); });

  it('should show the server\'s Chinese sign-in error and sign in with the keyboard only', async () => {
    const { page, errors } = await newPage(browser, SCREEN.phone);
    await page.goto(baseUrl() + '/login');
    await page.getByLabel('用户名').fill('changzhou.applicant');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByLabel('密码').press('Enter');
    const alert = page.locator('.ant-alert-error');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/[\u4e00-\u9fa5]/);
    await screenshot(page, 'portal-login-error-phone');
    // keyboard only: focus starts in the username field
    await page.getByLabel('用户名').fill('');
    await page.keyboard.type('changzhou.applicant');
    await page.keyboard.press('Tab');
    await page.keyboard.type(demoPassword());
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/apply$/);
    // the 401 of the wrong password is the only console error expected
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  for (const [size, screen] of Object.entries(SCREEN)) {
    it(`should lay out the applicant pages on the ${size} screen`, async () => {
      const { page: login, errors: loginErrors } = await newPage(browser, screen);
      await login.goto(baseUrl() + '/login');
      await login.getByLabel('用户名').waitFor();
      await screenshot(login, `portal-login-${size}`);
      const { page, errors } = await signedIn(browser, 'changzhou.applicant', /\/apply$/, screen);
      await page.getByTestId('my-cases').locator(`[data-case="${caseNo}"]`).waitFor();
      await screenshot(page, `portal-apply-${size}`);
      expect(await noOverflow(page)).toBe(true);
      await page.locator('[data-form="changzhou-retirement-special"]').click();
      await page.locator('[data-testid="checklist"]').waitFor();
      await cell(page, 'unitName').waitFor();
      await page.screenshot({ path: `test-results/screenshots/portal-form-top-${size}.png` });
      await showAll(page);
      await screenshot(page, `portal-form-special-${size}`);
      expect(await noOverflow(page)).toBe(true);
      await page.goto(`${baseUrl()}/my/cases/${caseId}`);
      await page.locator('.lb-flow-canvas[data-state="ready"]').waitFor();
      const marks = await page.evaluate(() => [...document.querySelectorAll('.lb-flow-canvas .djs-element.lb-active')].map((e) => e.getAttribute('data-element-id')));
      expect(marks).toContain('Task_approval');
      await screenshot(page, `portal-case-${size}`);
      expect(await noOverflow(page)).toBe(true);
      await page.getByRole('button', { name: /消息通知/ }).click();
      await page.locator('.lb-notifications').waitFor();
      expect(await page.locator('.lb-notifications').textContent()).toContain(caseNo);
      await screenshot(page, `portal-notifications-${size}`);
      await page.goto(`${baseUrl()}/my/cases/${caseId}/print`);
      await page.locator('.lb-readonly').waitFor();
      await screenshot(page, `portal-print-${size}`);
      if (screen.width > 720) {
        // the read-only table on four columns: cells starting at one place end their label at one
        // place, row after row, and the cells of one row end at one line
        const cells = await page.locator('.lb-readonly .lb-cell').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent).map((e) => {
          const r = e.getBoundingClientRect();
          const label = e.querySelector('.lb-label')!.getBoundingClientRect();
          return { left: Math.round(r.left), top: Math.round(r.top), bottom: Math.round(r.bottom), labelRight: Math.round(label.right) };
        }));
        expect(cells.length).toBeGreaterThan(20);
        const spread = (key: 'left' | 'top', value: 'labelRight' | 'bottom') => {
          const by = new Map<number, Set<number>>();
          for (const c of cells) by.set(c[key], (by.get(c[key]) ?? new Set()).add(c[value]));
          return [...by.entries()].filter(([, values]) => Math.max(...values) - Math.min(...values) > 1).map(([at, values]) => `${key} ${at}: ${[...values].join(', ')}`);
        };
        expect(spread('left', 'labelRight')).toEqual([]);
        expect(spread('top', 'bottom')).toEqual([]);
      }
      expect([...loginErrors, ...errors]).toEqual([]);
    });

    it(`should lay out the staff and admin pages on the ${size} screen`, async () => {
      const { page, errors } = await signedIn(browser, 'changzhou.hrss', /\/tasks$/, screen);
      const row = page.locator(`tr[data-case="${caseNo}"]`);
      await row.waitFor();
      await page.locator('.ant-table .ant-spin-spinning').waitFor({ state: 'detached' });
      await screenshot(page, `tasklist-${size}`);
      expect(await noOverflow(page)).toBe(true);
      // the row's 认领 is on screen without scrolling the table sideways (the column is pinned)
      const claim = (await row.getByRole('button', { name: '认领' }).boundingBox())!;
      expect(claim.x + claim.width).toBeLessThanOrEqual(screen.width);
      // 认领 in the row changes that row in place, without reading the queue again; 取消认领 gives it back
      const reads: string[] = [];
      const onRequest = (r: { url(): string }) => { if (new URL(r.url()).pathname === '/api/v1/tasks') reads.push(r.url()); };
      page.on('request', onRequest);
      await row.getByRole('button', { name: '认领' }).click();
      await row.getByRole('button', { name: '取消认领' }).waitFor();
      if (screen.width >= 768) expect(await row.textContent()).toContain('人力资源社会保障部门工作人员');
      await row.getByRole('button', { name: '取消认领' }).click();
      await row.getByRole('button', { name: '认领' }).waitFor();
      page.off('request', onRequest);
      expect(reads).toEqual([]);
      // search narrows the queue; the filtered list exports to .xlsx (a zip: 'PK')
      await page.getByLabel('办件编号或申请人姓名').fill('不存在的申请人');
      await page.getByTestId('task-count').getByText('共 0 条').waitFor();
      await page.getByLabel('办件编号或申请人姓名').fill(caseNo);
      await row.waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出Excel' }).click()]);
      const file = await download.path();
      expect(fs.readFileSync(file).subarray(0, 2).toString()).toBe('PK');
      expect(download.suggestedFilename()).toMatch(/^待办清单-.*\.xlsx$/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(file);
      const sheet = book.getWorksheet('待办')!;
      const headers = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(headers).toEqual(expect.arrayContaining(['办件编号', '环节', '办理时限', '承诺时限', '承诺时限状态']));
      expect(sheet.getRow(2).getCell(headers.indexOf('办件编号') + 1).value).toBe(caseNo);
      await row.getByRole('link', { name: '办理' }).click();
      await page.getByTestId('complete-panel').waitFor();
      await page.locator('.lb-flow-canvas[data-state="ready"]').waitFor();
      await showAll(page);
      await screenshot(page, `tasklist-task-${size}`);
      expect(await noOverflow(page)).toBe(true);
      const admin = await signedIn(browser, 'changzhou.admin', /\/dashboard$/, screen);
      await admin.page.locator('.lb-chart[data-ready="true"]').first().waitFor();
      expect(await admin.page.locator('.lb-chart, .lb-chart-empty').count()).toBe(4);
      await expect.poll(() => admin.page.locator('.lb-chart:not([data-ready])').count()).toBe(0);
      await screenshot(admin.page, `dashboard-${size}`);
      expect(await noOverflow(admin.page)).toBe(true);
      expect([...errors, ...admin.errors]).toEqual([]);
    });
  }

  it('should ask the applicant for the 附件5 sheet as a task with its own form', async () => {
    // given: a case with 社会化管理 ticked, approved through 人社's three steps
    const applicant = await signedIn(browser, 'changzhou.applicant', /\/apply$/);
    const { no } = await submitCase(applicant.page, { ...example, medicalInsuranceTransfer: false, housingFundWithdrawal: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined });
    const hrss = await signedIn(browser, 'changzhou.hrss', /\/tasks$/);
    for (const name of ['企业职工退休审批', '企业职工基本养老保险待遇核定', '职工退休养老证发放']) {
      const tasks = await (await hrss.page.request.get(`${baseUrl()}/api/v1/tasks`)).json() as { id: string; caseNo: string; name: string }[];
      const task = tasks.find((x) => x.caseNo === no && x.name === name)!;
      const res = await hrss.page.request.post(`${baseUrl()}/api/v1/tasks/${task.id}/complete`, { data: completionBody(name, name === '企业职工退休审批' ? 'approved' : undefined) });
      expect(res.status()).toBe(200);
    }
    // when: the applicant opens "my tasks"
    await applicant.page.goto(baseUrl() + '/apply');
    await applicant.page.getByTestId('my-tasks').getByText('填写社会化管理服务基本信息采集表').waitFor();
    await applicant.page.getByTestId('my-tasks').getByRole('link', { name: '需要您处理' }).first().click();
    // then: the 附件5 form is rendered, and submitting it empty shows the errors on the fields
    await applicant.page.getByRole('heading', { name: '企业退休人员社会化管理服务基本信息采集表' }).waitFor();
    await applicant.page.getByRole('button', { name: '提交' }).click();
    await applicant.page.locator('.lb-has-error').first().waitFor();
    expect(await applicant.page.locator('.lb-has-error').count()).toBeGreaterThan(0);
    await showAll(applicant.page);
    await screenshot(applicant.page, 'portal-mytask-office');
    expect([...applicant.errors, ...hrss.errors]).toEqual([]);
  });
});
