/**
 * 办件进度查询 in the portal without sign-in (issue 20, part 4): from the sign-in page to the
 * lookup page, the case number and the last four of the ID number → the case's and items'
 * statuses; a wrong pair → the one "not found" message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';

describe('办件进度查询 (portal, no sign-in)', () => {
  let browser: Browser;
  const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
  let caseNo = '';
  beforeAll(async () => {
    browser = await openBrowser();
    // an applicant's case, submitted through the API
    const { page } = await newPage(browser);
    await page.request.post(`${baseUrl()}/api/v1/auth/login`, { data: { username: 'changzhou.applicant', password: demoPassword() } });
    const data = { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const res = await page.request.post(`${baseUrl()}/api/v1/cases`, { data: { matter: 'changzhou-retirement', form: 'changzhou-retirement', data } });
    expect(res.status()).toBe(201);
    caseNo = (await res.json() as { no: string }).no;
    await page.context().close();
  });
  afterAll(async () => { await browser?.close(); });

  it('should look up a case from the sign-in page and show only statuses', async () => {
    const { page, errors } = await newPage(browser, SCREEN.office);
    await page.goto(baseUrl() + '/login');
    await page.getByTestId('progress-link').click();
    await page.waitForURL(/\/progress$/);
    await page.getByRole('heading', { name: '办件进度查询' }).waitFor();
    await page.getByLabel('办件编号').fill(caseNo);
    await page.getByLabel('身份证号码后四位').fill((example.idNumber as string).slice(-4));
    await page.getByRole('button', { name: '查询' }).click();
    const result = page.getByTestId('progress-result');
    await result.waitFor();
    expect(await page.getByTestId('progress-status').locator('[data-status]').getAttribute('data-status')).toBe('in-progress');
    expect(await result.textContent()).toContain(caseNo);
    expect(await result.textContent()).toContain('企业职工退休审批');
    expect(await result.locator('tr[data-item="退休人员住房公积金提取"] [data-status]').getAttribute('data-status')).toBe('requested');
    // nothing personal on the page
    expect(await page.content()).not.toContain(example.name as string);
    expect(await page.content()).not.toContain(example.idNumber as string);
    await screenshot(page, 'portal-progress-office');
    expect(errors).toEqual([]);
  });

  it('should answer a wrong pair with the one not-found message, on a phone too', async () => {
    const { page } = await newPage(browser, SCREEN.phone);
    await page.goto(`${baseUrl()}/progress?no=${caseNo}`);
    expect(await page.getByLabel('办件编号').inputValue()).toBe(caseNo);
    await page.getByLabel('身份证号码后四位').fill('0000');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('progress-error').waitFor();
    expect(await page.getByTestId('progress-error').textContent()).toContain('未查询到该办件，请核对办件编号和身份证号码后四位');
    expect(await page.getByTestId('progress-result').count()).toBe(0);
    await screenshot(page, 'portal-progress-phone-not-found');
  });
});
