/**
 * 文书模板 in the designer (docs/documents.md): 常州's administrator changes the wording of the
 * 受理回执, sees it in the live preview (the PDF the page fetched, read back with pdftotext), and
 * saves; a case received afterwards gets a 受理回执 with the new wording, a case received before
 * keeps the old one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot } from './page';
import { designerSignIn, signedIn } from './journey.helpers';
import { pdfText } from '../pdf';

const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
const DATA = { ...example, socializedManagement: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
const OLD = '材料齐全、符合法定形式，本机关决定予以受理';
const NEW = '经常州市政务服务中心审核，予以受理（新用语）';

/** Submits a case and reads its 受理回执 (the first reading issues it). */
async function submitted(request: APIRequestContext): Promise<string> {
  const res = await request.post(`${baseUrl()}/api/v1/cases`, { data: { matter: 'changzhou-retirement', form: 'changzhou-retirement', data: DATA } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
async function receiptText(request: APIRequestContext, caseId: string): Promise<string> {
  const docs = (await (await request.get(`${baseUrl()}/api/v1/cases/${caseId}/documents`)).json()) as { id: string; kind: string }[];
  const receipt = docs.find((d) => d.kind === 'receipt');
  expect(receipt, 'the 受理回执').toBeDefined();
  const pdf = await request.get(`${baseUrl()}/api/v1/documents/${receipt!.id}`);
  expect(pdf.status()).toBe(200);
  return pdfText(await pdf.body(), { squash: true });
}

describe('designer: 文书模板', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => {
    await browser?.close();
  });

  it('should let the admin reword the 受理回执 with a live preview; new cases get it, earlier ones keep theirs', async () => {
    // given: a case received before the change, its receipt already issued, and one not yet read
    const applicant = await signedIn(browser, 'changzhou.applicant', /\/apply$/);
    const earlierRead = await submitted(applicant.page.request);
    expect(await receiptText(applicant.page.request, earlierRead)).toContain(OLD);
    const earlierUnread = await submitted(applicant.page.request);

    // when: the administrator opens 文书模板 from the menu and picks 受理回执
    const { page, errors } = await newPage(browser);
    await designerSignIn(page, 'changzhou.admin', demoPassword(), '/designer/admin');
    await page.getByRole('heading', { name: /城市管理/ }).waitFor();
    await page.getByRole('menuitem', { name: '文书模板' }).click();
    await page.getByRole('heading', { name: '文书模板' }).waitFor();
    await page.getByText('受理回执', { exact: true }).first().click();
    const body = page.locator('#doc-body');
    await expect.poll(() => body.inputValue()).toContain(OLD);
    // the list of placeholders to insert, and the preview of the saved wording
    await page.getByText('办件编号', { exact: true }).waitFor();
    await page.locator('iframe[title="文书预览"]').waitFor();

    // changes the wording: the preview (debounced) shows it
    const previewed = page.waitForResponse((r) => r.url().endsWith('/admin/document-templates/receipt/preview') && (r.request().postData() ?? '').includes(NEW));
    await body.fill((await body.inputValue()).replace(OLD, NEW));
    const preview = await previewed;
    expect(preview.status()).toBe(200);
    expect(preview.headers()['content-type']).toBe('application/pdf');
    // the PDF the page shows (the browser keeps no copy of a body read as a blob: ask again with what it sent)
    const again = await page.request.post(preview.url(), { data: JSON.parse(preview.request().postData()!) as unknown });
    const previewText = pdfText(await again.body(), { squash: true });
    expect(previewText).toContain(NEW);
    expect(previewText).toContain('受理回执（样张）');
    // an unknown placeholder is named at once, and saving is not offered until it is gone
    await body.fill(`${await body.inputValue()}\n{{pensionAmount}}`);
    await page.getByText('未知的占位符：{{pensionAmount}}').waitFor();
    expect(await page.getByRole('button', { name: '保存' }).isDisabled()).toBe(true);
    await body.fill((await body.inputValue()).replace('\n{{pensionAmount}}', ''));
    await page.locator('iframe[title="文书预览"]').waitFor();
    await page.waitForTimeout(1500); // the preview settles
    await screenshot(page, 'document-templates-editor');

    // saves: a new version
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存为第 2 版').waitFor();
    await page.getByText('第 2 版', { exact: true }).first().waitFor();
    await screenshot(page, 'document-templates-saved');
    expect(errors).toEqual([]);

    // then: a new case's 受理回执 has the new wording; the earlier ones keep the old
    const later = await submitted(applicant.page.request);
    const fresh = await receiptText(applicant.page.request, later);
    expect(fresh).toContain(NEW);
    expect(fresh).not.toContain(OLD);
    for (const id of [earlierRead, earlierUnread]) {
      const text = await receiptText(applicant.page.request, id);
      expect(text).toContain(OLD);
      expect(text).not.toContain(NEW);
    }
    await page.context().close();
    await applicant.page.context().close();
  });
});
