/**
 * 窗口收件与帮办代办 in the browser: the 六安 window files a case for a walk-in citizen who came
 * with an agent (授权委托书 uploaded), prints the 受理回执; the citizen, whose account is made
 * afterwards with the same ID number, signs in and sees the case. The answer to the request that
 * files the draft is lost once on the way back: the next try gets that draft, not a second one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot } from './page';
import { cell, choose, date, signedIn, text } from './journey.helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const CITIZEN_ID = '341502196603121351';

async function upload(page: Page, path: string, material: string, name: string) {
  const row = cell(page, path).locator('.lb-material', { hasText: material });
  await row.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
  await row.locator('.lb-file', { hasText: name }).waitFor();
}

async function pick(page: Page, label: string, option: string) {
  await page.locator('.ant-select', { has: page.getByRole('combobox', { name: label }) }).locator('.ant-select-selector').click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

describe('窗口收件 in the browser', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should file a 六安 case at the window for a citizen with an agent, print the receipt, and show it to the citizen', async () => {
    // given the window staff on the 窗口收件 page
    const window = await signedIn(browser, 'luan.window', /\/tasks$/);
    const page = window.page;
    // (polish) the empty queue speaks Chinese: antd's locale is zh_CN
    await expect.poll(() => page.locator('.lb-task-table').textContent()).toContain('暂无数据');
    expect(await page.locator('.lb-task-table').textContent()).not.toContain('No data');
    await page.getByRole('link', { name: '窗口收件' }).click();
    await page.waitForURL(/\/counter$/);
    await pick(page, '事项', '企业职工退休“一件事一次办”');
    await pick(page, '申请表', '企业职工退休“一件事一次办”申请表（2023版）（单位代办）');
    // when the citizen and the agent are entered (a wrong ID number is caught on the spot)
    await page.getByLabel('申请人姓名').fill('李示例');
    await page.getByLabel('申请人公民身份号码').fill('341502196603121350');
    await page.getByLabel('联系电话（手机）').fill('13905640000');
    await page.getByText('他人代办（帮办代办）').click();
    await page.getByLabel('代办人姓名').fill('李小示');
    await page.getByLabel('代办人公民身份号码').fill('341502199001010017');
    await page.getByLabel('与申请人关系').fill('子女');
    await page.locator('.lb-counter-letter input[type=file]').setInputFiles({ name: '授权委托书.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByTestId('letter-name').waitFor();
    await page.getByLabel('申请人公民身份号码').fill(CITIZEN_ID);
    // and the form is filled and the paper materials scanned
    await cell(page, 'unitName').waitFor();
    await text(page, 'unitName', '六安示例机械制造有限公司');
    await text(page, 'unitAddress', '安徽省六安市金安区示例路88号');
    await text(page, 'agentName', '李小示');
    await text(page, 'agentPhone', '0564-3210000');
    await text(page, 'employeeName', '李示例');
    await text(page, 'employeeIdNumber', CITIZEN_ID);
    await choose(page, 'retirementNormal', '是');
    // the first scan files the draft; that request's answer is lost on the way back (the draft exists)
    let lost = 0;
    await page.route('**/api/v1/cases', async (route) => {
      if (route.request().method() !== 'POST' || lost++) return route.continue();
      await route.fetch();
      await route.abort('connectionreset');
    });
    const first = cell(page, 'requiredMaterials').locator('.lb-material', { hasText: '参保单位办理职工退休手续的请示' });
    await first.locator('input[type=file]').setInputFiles({ name: '关于李示例办理退休手续的请示.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByText('网络连接失败，请检查网络后重试').first().waitFor();
    // so the clerk scans it again: the same request is sent again and answered with that draft
    await upload(page, 'requiredMaterials', '参保单位办理职工退休手续的请示', '关于李示例办理退休手续的请示.pdf');
    expect(lost).toBe(2);
    await upload(page, 'requiredMaterials', '职工本人社会保障卡', '社会保障卡.pdf');
    // 《拟退休（退职）人员申请表》 is required for the chosen item; without a personnel file nothing else
    await choose(page, 'hasPersonnelFile', '否');
    await upload(page, 'normalMaterials', '《拟退休（退职）人员申请表》', '拟退休人员申请表.pdf');
    await choose(page, 'medicalInsuranceTransfer', '否');
    await choose(page, 'housingFundWithdrawal', '否');
    await text(page, 'signature', '李示例');
    // the date picker speaks Chinese throughout: months and weekdays too, not only 「今天」
    await cell(page, 'signDate').locator('.ant-picker input').click();
    const panel = page.locator('.ant-picker-dropdown:visible');
    await panel.waitFor();
    expect(await panel.locator('thead').innerText()).toMatch(/一\s*二\s*三/);
    expect(await panel.locator('.ant-picker-header-view').innerText()).toMatch(/^\d{4}年\s*\d{1,2}月$/);
    await page.keyboard.press('Escape');
    await date(page, 'signDate', '2026-06-15');
    await page.getByText('已为申请人建立办件草稿').waitFor();
    await screenshot(page, 'counter-intake-office');
    await page.getByRole('button', { name: '提交受理并打印回执' }).click();
    // then the receipt is shown, ready to print
    await page.waitForURL(/\/counter\/[0-9a-f]+\/receipt$/);
    // one case for the citizen, the lost answer notwithstanding
    const filed = await (await page.context().request.get(baseUrl() + '/api/v1/cases?mine=filed')).json() as { applicantName: string }[];
    expect(filed.filter((c) => c.applicantName === '李示例')).toHaveLength(1);
    const caseNo = (await page.getByTestId('receipt-no').textContent()) ?? '';
    expect(caseNo).toMatch(/^LA\d{12}$/);
    const receipt = page.locator('.lb-receipt');
    await expect.poll(() => receipt.textContent()).toContain('李小示（子女）');
    expect(await receipt.textContent()).toContain('授权委托书：授权委托书.pdf');
    // every file under the name of the material it is
    expect(await receipt.textContent()).toContain('参保单位办理职工退休手续的请示：关于李示例办理退休手续的请示.pdf');
    expect(await receipt.textContent()).toContain('窗口收件（帮办代办）');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'counter-receipt-print');
    expect(await page.getByRole('button', { name: '打印回执' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // when the citizen gets an account with that ID number and signs in
    const admin = await page.context().request;
    await admin.post(baseUrl() + '/api/v1/auth/login', { data: { username: 'luan.admin', password: demoPassword() } });
    const made = await admin.post(baseUrl() + '/api/v1/admin/users', { data: { username: 'luan.lishili', password: demoPassword(), roles: ['applicant'], idNumber: CITIZEN_ID, displayName: '李示例' } });
    expect(made.status()).toBe(201);
    const citizen = await signedIn(browser, 'luan.lishili', /\/apply$/);
    // then the case is theirs
    await citizen.page.getByTestId('my-cases').getByText(caseNo).waitFor();
    // the lost answer is the only console line (the failed upload is not an uncaught error)
    expect([...window.errors, ...citizen.errors].filter((e) => !/ERR_CONNECTION_RESET/.test(e))).toEqual([]);
  });

  it('should name the home page card links by their whole visible text (WCAG 2.5.3 label in name)', async () => {
    const { page } = await newPage(browser);
    await page.goto(baseUrl() + '/');
    await page.getByRole('link', { name: /我要办事.*选择事项/ }).waitFor();
    const result = await new AxeBuilder({ page }).withRules(['label-content-name-mismatch']).analyze();
    expect(result.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')))).toEqual([]);
  });
});
