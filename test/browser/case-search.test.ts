/**
 * 办件查询 in the browser: a clerk opens 「办件查询」 from the header, sees the department's latest
 * cases, finds one by its number (with the step under way), is told plainly when an ID number is
 * mistyped, and opens the case from the results, where the values computed from the masked ID
 * number show as stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { openBrowser, screenshot } from './page';
import { signedIn, submitLuanExample } from './journey.helpers';
import { expectNoSeriousViolations } from './axe';

describe('办件查询', () => {
  let browser: Browser;
  let no = '';
  beforeAll(async () => {
    browser = await openBrowser();
    ({ no } = await submitLuanExample());
  });
  afterAll(async () => { await browser?.close(); });

  it('should find a case by its number and open it', async () => {
    const { page, errors } = await signedIn(browser, 'luan.window', /\/tasks$/);
    await page.getByRole('link', { name: '办件查询' }).click();
    await page.waitForURL(/\/cases$/);
    await page.getByText('本部门最近的办件').waitFor();
    expect(await page.locator(`[data-testid="case-search"] tr[data-case="${no}"]`).count()).toBe(1);

    const box = page.getByLabel('办件编号、申请人身份证号或姓名');
    await box.fill(no.toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(new RegExp(`/cases\\?q=${no.toLowerCase()}$`));
    await page.getByText(`「${no.toLowerCase()}」的查询结果：1 件`).waitFor();
    const row = page.locator(`[data-testid="case-search"] tr[data-case="${no}"]`);
    expect(await row.innerText()).toContain('一窗受理');
    await expectNoSeriousViolations(page, 'case search results');
    await screenshot(page, 'case-search-found');

    // a mistyped ID number is said to be one, not "nothing found"
    await box.fill('341502196501150038');
    await box.press('Enter');
    await page.getByTestId('search-error').waitFor();
    expect(await page.getByTestId('search-error').innerText()).toContain('身份证号校验位不正确，请核对');
    await screenshot(page, 'case-search-refused');

    // back to the results, and into the case
    await page.goBack();
    await row.getByRole('link', { name: no }).click();
    await page.waitForURL(/\/cases\/[0-9a-f]{24}$/);
    await page.getByText(no).first().waitFor();
    // the application as stored: the values computed from the ID number show, although the
    // number itself is masked for staff (computing them again from the mask blanked them)
    const computed = page.locator('[data-computed]');
    await computed.first().waitFor();
    const shown = await computed.allInnerTexts();
    expect(shown).toContain('男');
    expect(shown.join('')).not.toContain('自动计算');
    // the refused search's 422 is the only console line
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  });
});
