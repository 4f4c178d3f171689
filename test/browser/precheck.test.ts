/**
 * 「先测一测」 in Chromium (issue 19 part 3): from the 六安 matter's home, two applicants answer
 * differently and each 一次告知书 lists their own materials — a unit employee with an archive on
 * the normal route, a flexibly employed special-work applicant; the print layout shows only the
 * notice on A4. And a 单独事项 on the 常州 case page: what to do, where, and the matter's contact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, openBrowser, screenshot } from './page';
import { completionBody, signedIn } from './journey.helpers';

const materials = (page: Page) => page.locator('[data-testid="notice"] tr[data-material]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-material')));

async function answer(page: Page, label: string, option: string) {
  await page.locator('.ant-form-item').filter({ hasText: label }).getByText(option, { exact: true }).click();
}

describe('先测一测 and the 一次告知书', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should list different materials for two applicants and print only the notice', async () => {
    const { page, errors } = await signedIn(browser, 'luan.applicant', /\/apply$/);
    // the matter's home offers the pre-check and shows where to ask
    const card = page.locator('[data-matter="luan-retirement"]');
    expect(await card.getByTestId('matter-contact').textContent()).toContain('0564-12333');
    await card.getByTestId('precheck-link').click();
    await page.waitForURL(/\/apply\/luan-retirement\/precheck$/);

    // applicant 1: a man on a unit's books, born 1965-01 (ID number), archive kept, 200 months paid
    // a wrong check digit is refused at once, in Chinese
    await page.getByLabel('公民身份号码').fill('341502196501150038');
    await page.getByText('身份证号码校验位不正确，请核对').waitFor();
    await page.getByLabel('公民身份号码').fill('341502196501150039');
    // what the number says is shown, not asked
    expect(await page.getByTestId('precheck-derived').textContent()).toBe('由身份证号码得出：出生年月 1965年1月，性别 男');
    await answer(page, '本人身份', '工人');
    await page.getByLabel(/累计缴费月数/).fill('200');
    await answer(page, '是否有职工人事档案', '有');
    await page.getByRole('button', { name: '测一测' }).click();
    await page.getByTestId('precheck-result').waitFor();
    expect(await page.getByTestId('statutory').textContent()).toBe('2025年2月');
    expect(await page.getByTestId('precheck-result').textContent()).toContain('现在可以申请：正常退休');
    const first = await materials(page);
    expect(first).toEqual(['参保单位办理职工退休手续的请示', '职工本人社会保障卡', '《拟退休（退职）人员申请表》', '职工人事档案']);
    await screenshot(page, 'precheck-unit');

    // applicant 2: flexibly employed, born 1970-06, 9 years underground, no archive
    await page.getByLabel('公民身份号码').fill('');
    await page.getByLabel(/出生年月/).fill('1970-06');
    await answer(page, '性别', '男');
    await answer(page, '本人身份', '灵活就业人员');
    await answer(page, '是否从事过特殊工种', '是');
    await page.getByLabel('特殊工种类别').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '井下' }).click();
    await page.getByLabel(/累计从事年限/).fill('9');
    await answer(page, '是否有职工人事档案', '无');
    await page.getByRole('button', { name: '测一测' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="notice"]')?.textContent?.includes('1970年6月出生'));
    const second = await materials(page);
    expect(second).toContain('特殊工种提前退休申请书');
    expect(second).toContain('本人社会保障卡（代办另需提供代办人身份证件）');
    expect(second).not.toContain('参保单位办理职工退休手续的请示');
    expect(second).not.toEqual(first);
    expect(await page.getByTestId('precheck-result').textContent()).toContain('特殊工种提前退休');
    await screenshot(page, 'precheck-flexible-special');

    // printed: the notice alone on A4, the form and the result hidden
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('precheck-form').isVisible()).toBe(false);
    expect(await page.getByTestId('notice').isVisible()).toBe(true);
    await screenshot(page, 'precheck-print');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    expect(errors).toEqual([]);
    expect(baseUrl()).toMatch(/^http/);
  });

  it('should tell the applicant what to do and where for a 单独事项, with the matter\'s contact', async () => {
    const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
    const { page, errors } = await signedIn(browser, 'changzhou.applicant', /\/apply$/);
    const sub = await page.request.post(`${baseUrl()}/api/v1/cases`, { data: { matter: 'changzhou-retirement', form: 'changzhou-retirement', data: {
      ...example, socializedManagement: false, housingFundWithdrawal: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined,
    } } });
    expect(sub.status()).toBe(201);
    const { id, no } = await sub.json() as { id: string; no: string };
    // staff: 人社 approves, determines, issues; 医保 finds the applicant not eligible here
    for (const [user, steps] of [['changzhou.hrss', ['企业职工退休审批', '企业职工基本养老保险待遇核定', '职工退休养老证发放']], ['changzhou.medical', ['在职转退休医疗保险办理']]] as const) {
      const staff = await signedIn(browser, user, /\/tasks$/);
      for (const name of steps) {
        const tasks = await (await staff.page.request.get(`${baseUrl()}/api/v1/tasks`)).json() as { id: string; caseNo: string; name: string }[];
        const task = tasks.find((t) => t.caseNo === no && t.name === name)!;
        const outcome = name === '企业职工退休审批' ? 'approved' : name === '在职转退休医疗保险办理' ? 'not-eligible' : undefined;
        expect((await staff.page.request.post(`${baseUrl()}/api/v1/tasks/${task.id}/complete`, { data: completionBody(name, outcome) })).status()).toBe(200);
      }
      await staff.page.context().close();
    }
    await page.goto(`${baseUrl()}/my/cases/${id}`);
    const alert = page.locator('[data-testid="standalone-item"][data-item="medical-insurance-transfer"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('需作为单独事项办理');
    expect(await alert.textContent()).toContain('常州市医疗保障管理服务中心');
    expect(await page.getByTestId('matter-contact').textContent()).toContain('0519-12333');
    await screenshot(page, 'case-standalone');
    expect(errors).toEqual([]);
  });
});
