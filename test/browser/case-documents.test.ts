/**
 * The case's official documents in the pages: the applicant's case page (我的办件) and the staff
 * case view list the 受理回执 with a download link that answers the PDF, and the application PDF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, openBrowser, screenshot } from './page';
import { signedIn } from './journey.helpers';

const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;

describe('case documents in the pages', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should list the documents on the applicant\'s case page and in the staff case view, each downloadable', async () => {
    const { page, errors } = await signedIn(browser, 'changzhou.applicant', /\/apply$/);
    const res = await page.request.post(`${baseUrl()}/api/v1/cases`, {
      data: { matter: 'changzhou-retirement', form: 'changzhou-retirement', data: { ...example, socializedManagement: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined } },
    });
    expect(res.status()).toBe(201);
    const { id } = await res.json() as { id: string };

    await page.goto(`${baseUrl()}/my/cases/${id}`);
    const entry = page.getByTestId('case-document').first();
    await entry.waitFor();
    expect(await entry.textContent()).toContain('受理回执');
    const href = await entry.getByRole('link', { name: '下载' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/documents\/[0-9a-f]{24}$/);
    const pdf = await page.request.get(baseUrl() + href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const print = await page.getByTestId('case-documents').getByRole('link', { name: '申请表 PDF' }).getAttribute('href');
    expect((await page.request.get(baseUrl() + print!)).headers()['content-type']).toBe('application/pdf');
    await screenshot(page, 'case-documents-applicant');
    expect(errors).toEqual([]);
    await page.context().close();

    const staff = await signedIn(browser, 'changzhou.hrss', /\/tasks$/);
    await staff.page.goto(`${baseUrl()}/cases/${id}`);
    const staffEntry = staff.page.getByTestId('case-document').first();
    await staffEntry.waitFor();
    expect(await staffEntry.textContent()).toContain('受理回执');
    await screenshot(staff.page, 'case-documents-staff');
    expect(staff.errors).toEqual([]);
    await staff.page.context().close();
  });
});
