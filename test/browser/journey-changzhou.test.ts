/**
 * The 常州 journey in the browser: the applicant submits 附件3 with 公积金 and 医保 ticked and
 * 社会化管理 not; 人社 approves, determines and issues the certificate; 公积金 completes; 医保
 * finds the applicant not eligible. The applicant sees the case completed with 医保 standalone
 * and the path taken highlighted on the diagram.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, openBrowser, screenshot, SCREEN } from './page';
import { cell, choose, completeTask, date, diagramMarks, select, signedIn, text } from './journey.helpers';

async function fillChangzhouRetirement(page: Page) {
  await text(page, 'unitName', '常州示例精密机械有限公司');
  await text(page, 'unitCode', '32040000123');
  await text(page, 'name', '赵示例');
  await text(page, 'idNumber', '320402196603121351');
  await select(page, 'ethnicity', '汉族');
  await choose(page, 'identity', '工人');
  await choose(page, 'postNature', '非管理技术岗位');
  await text(page, 'address', '江苏省常州市天宁区示例路12号');
  await text(page, 'mobile', '13912345678');
  await date(page, 'workStart', '1984-09');
  await date(page, 'retireAt', '2026-07');
  await choose(page, 'retireType', '正常退休');
  await cell(page, 'workHistory').getByRole('button', { name: '添加一行' }).click();
  await date(page, 'workHistory.0.from', '1984-09');
  await text(page, 'workHistory.0.unitAndPost', '常州示例精密机械有限公司 钳工');
  await choose(page, 'militaryCadre', '否');
  await choose(page, 'seniorTitle', '否');
  await choose(page, 'socializedManagement', '否');
  await choose(page, 'medicalInsuranceTransfer', '是');
  await choose(page, 'housingFundWithdrawal', '是');
  await choose(page, 'printCertificate', '是');
  await choose(page, 'hasOnlyChildCertificate', '否');
}

describe('常州 退休一件事 in the browser', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should run from the application to the completed case with 医保 standalone', async () => {
    // given: the applicant signed in
    const applicant = await signedIn(browser, 'changzhou.applicant', /\/apply$/);
    const page = applicant.page;
    await page.locator('[data-form="changzhou-retirement"]').waitFor();
    // the task-only form (附件5) is not offered as an application form
    expect(await page.locator('[data-form="changzhou-socialized-info"]').count()).toBe(0);
    expect(await page.locator('[data-form="changzhou-retirement-special"]').count()).toBe(1);
    await screenshot(page, 'portal-apply-office');

    // when: the form is filled through the UI
    await page.locator('[data-form="changzhou-retirement"]').click();
    await cell(page, 'unitName').waitFor();
    await fillChangzhouRetirement(page);
    // then: the checklist follows the ticks
    const item = (key: string) => page.locator(`[data-testid="checklist"] [data-item="${key}"]`);
    expect(await item('medical-insurance-transfer').getAttribute('data-requested')).toBe('true');
    expect(await item('housing-fund-withdrawal').getAttribute('data-requested')).toBe('true');
    expect(await item('socialized-management').getAttribute('data-requested')).toBe('false');
    expect(await item('medical-insurance-transfer').textContent()).toContain('医疗保障部门'); // the city's own name of the department
    await expect.poll(() => cell(page, 'statutoryAge').textContent()).toContain('60岁');
    await screenshot(page, 'portal-form-office');

    // when: submitted
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(/\/my\/cases\/[^/]+\/submitted$/);
    const confirmation = await page.getByTestId('submitted-no').textContent();
    const caseNo = /CZ\d{12}/.exec(confirmation ?? '')?.[0];
    expect(caseNo, confirmation ?? '').toBeTruthy();
    const caseUrl = page.url().replace(/\/submitted$/, '');
    await screenshot(page, 'portal-submitted-office');

    // 人社: approve, determine, issue the certificate
    const hrss = await signedIn(browser, 'changzhou.hrss', /\/tasks$/);
    await hrss.page.locator(`tr[data-case="${caseNo}"]`).first().waitFor();
    await screenshot(hrss.page, 'tasklist-office');
    await completeTask(hrss.page, caseNo!, '企业职工退休审批', '批准', '符合退休条件');
    // 待遇核定 and 发证 declare their results in their task forms (issue 20)
    await completeTask(hrss.page, caseNo!, '企业职工基本养老保险待遇核定', undefined, undefined, async (p) => {
      await text(p, 'monthlyPension', '3125.4');
      await text(p, 'pooledPension', '2210.15');
      await text(p, 'personalPension', '915.25');
      await date(p, 'pensionStartMonth', '2026-04');
      await screenshot(p, 'tasklist-result-form');
    });
    await completeTask(hrss.page, caseNo!, '职工退休养老证发放', undefined, undefined, async (p) => {
      await text(p, 'certificateNo', 'CZTX2026000123');
      await date(p, 'certificateIssuedOn', '2026-03-28');
    });
    // 公积金 completes, 医保 finds the applicant not eligible
    const housing = await signedIn(browser, 'changzhou.housing-fund', /\/tasks$/);
    await completeTask(housing.page, caseNo!, '退休人员住房公积金提取', '办结', undefined, async (p) => {
      await text(p, 'withdrawalAmount', '86432.17');
      await date(p, 'creditedOn', '2026-04-10');
    });
    const medical = await signedIn(browser, 'changzhou.medical', /\/tasks$/);
    await completeTask(medical.page, caseNo!, '在职转退休医疗保险办理', '不符合条件（转单独事项）', '不符合在职转退休条件');

    // then: the applicant sees the case completed, 医保 standalone, and the path on the diagram
    await page.goto(caseUrl);
    await page.getByTestId('case-status').locator('[data-status="completed"]').waitFor();
    const status = async (key: string) => page.locator(`.lb-items tr[data-item="${key}"] [data-status]`).getAttribute('data-status');
    expect(await status('medical-insurance-transfer')).toBe('standalone');
    expect(await status('housing-fund-withdrawal')).toBe('done');
    expect(await status('retirement-approval')).toBe('done');
    expect(await page.locator('.lb-items tr[data-item="medical-insurance-transfer"]').textContent()).toContain('转单独事项');
    // each item's declared result, as the applicant reads it
    expect(await page.getByTestId('item-result-pension-determination').textContent()).toContain('月基本养老金：3,125.40 元');
    expect(await page.getByTestId('item-result-pension-determination').textContent()).toContain('2026年04月');
    expect(await page.getByTestId('item-result-retirement-certificate').textContent()).toContain('CZTX2026000123');
    expect(await page.getByTestId('item-result-housing-fund-withdrawal').textContent()).toContain('86,432.17 元');
    expect(await page.getByTestId('item-result-medical-insurance-transfer').count()).toBe(0);
    const marks = await diagramMarks(page);
    expect(marks.done).toEqual(expect.arrayContaining(['Task_approval', 'Task_pension', 'Task_certificate', 'Task_housing', 'Task_medical']));
    expect(marks.done).not.toContain('Task_health');
    expect(marks.done).not.toContain('Task_social');
    expect(marks.active).toEqual([]);
    await screenshot(page, 'portal-case-office');

    // and the print view lays out the submitted form read-only
    await page.goto(`${caseUrl}/print`);
    await page.locator('.lb-readonly').waitFor();
    expect(await page.locator('.lb-form input').count()).toBe(0);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'portal-print');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');

    expect([...applicant.errors, ...hrss.errors, ...housing.errors, ...medical.errors]).toEqual([]);
  }, 360_000); // four staff sign-ins and seven steps, three of them with a result form (~4 min on a loaded 2-core machine)

  it('should fit the case page on a phone', async () => {
    const { page, errors } = await signedIn(browser, 'changzhou.applicant', /\/apply$/, SCREEN.phone);
    await page.locator('[data-testid="my-cases"] a', { hasText: '查看' }).first().click();
    await page.getByTestId('case-no').waitFor();
    await page.locator('.lb-flow-canvas[data-state="ready"]').waitFor();
    await screenshot(page, 'portal-case-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // the 退休证编号 stands under its item, whole and on screen
    const certificate = page.getByTestId('item-result-retirement-certificate');
    expect(await certificate.textContent()).toContain('CZTX2026000123');
    const box = (await certificate.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    void baseUrl;
  });
});
