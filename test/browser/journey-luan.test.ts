/**
 * The 六安 journey in the browser with the unit-agent form (单位代办): the agent uploads the
 * required materials (the first upload creates a draft), saves the draft, comes back to it from
 * "my drafts" and submits; the window (一窗受理) accepts, 人社 approves, 公积金 completes and 医保
 * finds the employee not eligible. Staff see the ID number masked until they reveal it (audited).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openBrowser, screenshot, SCREEN } from './page';
import { cell, choose, completeTask, date, diagramMarks, signedIn, text } from './journey.helpers';

// A tiny real PDF: the server checks the type by content.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function upload(page: Page, path: string, material: string, name: string) {
  const row = cell(page, path).locator('.lb-material', { hasText: material });
  await row.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
  await row.locator('.lb-file', { hasText: name }).waitFor();
}

describe('六安 退休一件事一次办 in the browser (单位代办)', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should run from a saved draft to the completed case with 医保 standalone', async () => {
    // given: the agent fills the unit form and uploads the required materials
    const applicant = await signedIn(browser, 'luan.applicant', /\/apply$/);
    const page = applicant.page;
    await page.locator('[data-form="luan-retirement-unit"]').waitFor();
    expect(await page.locator('[data-form="luan-retirement-flexible"]').count()).toBe(1);
    await page.locator('[data-form="luan-retirement-unit"]').click();
    await cell(page, 'unitName').waitFor();
    await text(page, 'unitName', '六安示例机械制造有限公司');
    await text(page, 'unitAddress', '安徽省六安市金安区示例路88号');
    await text(page, 'agentName', '王代办');
    await text(page, 'agentPhone', '0564-3210000');
    await text(page, 'employeeName', '李示例');
    await text(page, 'employeeIdNumber', '341502196603121351');
    await choose(page, 'retirementNormal', '是');
    await upload(page, 'requiredMaterials', '参保单位办理职工退休手续的请示', '关于李示例办理退休手续的请示.pdf');
    await page.waitForURL(/\/apply\/luan-retirement\/luan-retirement-unit\/[0-9a-f]+$/);
    await upload(page, 'requiredMaterials', '职工本人社会保障卡', '社会保障卡.pdf');
    // when: saved as a draft and reopened from "my drafts"
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('草稿已保存').waitFor();
    await page.goto(page.url().replace(/\/apply\/.*/, '/apply'));
    await page.getByTestId('my-drafts').getByRole('link', { name: '继续填写' }).first().click();
    await cell(page, 'unitName').waitFor();
    // then: the values and files are back
    expect(await cell(page, 'agentName').locator('input').inputValue()).toBe('王代办');
    expect(await cell(page, 'requiredMaterials').locator('.lb-file').count()).toBe(2);
    // when: completed and submitted
    // 《拟退休（退职）人员申请表》 is required for the chosen item; without a personnel file nothing else
    await choose(page, 'hasPersonnelFile', '否');
    await upload(page, 'normalMaterials', '《拟退休（退职）人员申请表》', '拟退休人员申请表.pdf');
    await choose(page, 'medicalInsuranceTransfer', '是');
    await choose(page, 'housingFundWithdrawal', '是');
    await text(page, 'signature', '王代办');
    await date(page, 'signDate', '2026-06-15');
    await page.evaluate(() => document.querySelectorAll<HTMLElement>('.lb-cell').forEach((c) => { c.style.contentVisibility = 'visible'; }));
    await screenshot(page, 'portal-form-luan-office');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(/\/submitted$/);
    const caseNo = /LA\d{12}/.exec((await page.getByTestId('submitted-no').textContent()) ?? '')?.[0];
    expect(caseNo).toBeTruthy();
    const caseUrl = page.url().replace(/\/submitted$/, '');

    // the window accepts, seeing the ID number masked until revealed
    const window = await signedIn(browser, 'luan.window', /\/tasks$/);
    await window.page.locator(`tr[data-case="${caseNo}"] a`, { hasText: '办理' }).click();
    await window.page.getByTestId('mask-note').waitFor();
    const masked = await cell(window.page, 'employeeIdNumber').textContent();
    expect(masked).not.toContain('341502196603121351');
    expect(await window.page.locator('.lb-materials-list a[href^="/api/v1/attachments/"]').count()).toBe(3);
    await screenshot(window.page, 'tasklist-case-office');
    await window.page.getByRole('button', { name: '显示完整信息' }).click();
    await expect.poll(() => cell(window.page, 'employeeIdNumber').textContent()).toContain('341502196603121351');
    expect(await window.page.getByTestId('mask-note').textContent()).toContain('审计');
    await completeTask(window.page, caseNo!, '一窗受理（查验申请表及材料）', '受理');
    // 人社 approves; 公积金 completes; 医保 not eligible
    const hrss = await signedIn(browser, 'luan.hrss', /\/tasks$/);
    await completeTask(hrss.page, caseNo!, '职工正常退休审批', '批准');
    const housing = await signedIn(browser, 'luan.housing-fund', /\/tasks$/);
    await completeTask(housing.page, caseNo!, '退休职工住房公积金提取', '办结', undefined, async (p) => {
      // the item's declared result (issue 20)
      await text(p, 'withdrawalAmount', '52300');
      await date(p, 'creditedOn', '2026-04-10');
    });
    const medical = await signedIn(browser, 'luan.medical', /\/tasks$/, SCREEN.phone);
    await completeTask(medical.page, caseNo!, '职工医疗保险在职转退休', '不符合条件（转单独事项）');

    // then
    await page.goto(caseUrl);
    await page.getByTestId('case-status').locator('[data-status="completed"]').waitFor();
    const status = async (key: string) => page.locator(`.lb-items tr[data-item="${key}"] [data-status]`).getAttribute('data-status');
    expect(await status('medical-insurance-transfer')).toBe('standalone');
    expect(await status('housing-fund-withdrawal')).toBe('done');
    expect(await status('retirement-normal')).toBe('done');
    expect(await page.getByTestId('item-result-housing-fund-withdrawal').textContent()).toContain('提取金额：52,300.00 元');
    const marks = await diagramMarks(page);
    expect(marks.done).toEqual(expect.arrayContaining(['Task_window', 'Task_normal', 'Task_medical', 'Task_housing']));
    expect(marks.done).not.toContain('Task_early');
    expect(marks.done).not.toContain('Task_correct');
    await screenshot(page, 'portal-case-luan-office');
    expect([...applicant.errors, ...window.errors, ...hrss.errors, ...housing.errors, ...medical.errors]).toEqual([]);
  }, 360_000); // a long journey (~3 min on a loaded 2-core machine)
});
