/**
 * 免提交 in the browser (issue 23, part 4): on the 常州 application the applicant opens
 * 「使用已有材料」 on the 独生子女父母光荣证, sees their 电子证照 with where it comes from (the fake
 * licence platform of test/server/fake-licence-provider.ts), uses it, files the case, and the 人社
 * staff see the file marked 「电子证照：…」 on the case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot } from './page';
import { signedIn } from './journey.helpers';
import { licencePdf, startFakeLicenceProvider, type FakeLicenceProvider } from '../server/fake-licence-provider';

const ID = '32040219700520002X'; // changzhou.applicant (demo seed)

describe('materials reuse (portal and case view)', () => {
  let browser: Browser;
  let fake: FakeLicenceProvider;
  const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
  let draftId = '';

  async function as<T>(username: string, go: (page: Page) => Promise<T>): Promise<T> {
    const { page } = await newPage(browser);
    await page.request.post(`${baseUrl()}/api/v1/auth/login`, { data: { username, password: demoPassword() } });
    try { return await go(page); } finally { await page.context().close(); }
  }

  beforeAll(async () => {
    fake = await startFakeLicenceProvider([
      { id: 'dszn-002X', kind: '独生子女父母光荣证', licenceNo: 'DS320402-0520', issuer: '常州市天宁区卫生健康局', holderIdNumber: ID, fileName: '独生子女父母光荣证.pdf', pdf: licencePdf('独生子女父母光荣证') },
    ]);
    browser = await openBrowser({ licence: { endpoint: fake.url, key: fake.key, name: '江苏省电子证照库' } });
    draftId = await as('changzhou.applicant', async (page) => {
      const data = { ...example, hasOnlyChildCertificate: true, onlyChildCertificateFile: undefined };
      const res = await page.request.post(`${baseUrl()}/api/v1/cases`, { data: { matter: 'changzhou-retirement', form: 'changzhou-retirement', data, draft: true } });
      expect(res.status()).toBe(201);
      return (await res.json() as { id: string }).id;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await fake?.close();
  });

  it('should offer the 电子证照 on the material, attach it, and show staff where it came from', async () => {
    const { page, errors } = await signedIn(browser, 'changzhou.applicant', /\/apply$/);
    await page.goto(`${baseUrl()}/apply/changzhou-retirement/changzhou-retirement/${draftId}`);
    const button = page.getByTestId('reuse-only-child-certificate');
    await button.waitFor();
    await button.click();
    const dialog = page.getByRole('dialog', { name: '使用已有材料：独生子女父母光荣证' });
    await dialog.getByText('电子证照：独生子女父母光荣证（江苏省电子证照库，证号 DS320402-0520，常州市天宁区卫生健康局）').waitFor();
    await screenshot(page, 'materials-reuse-dialog');
    await dialog.getByRole('button', { name: '使用 独生子女父母光荣证（电子证照）' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.lb-file', { hasText: '独生子女父母光荣证.pdf' }).waitFor();
    await screenshot(page, 'materials-reuse-attached');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('已保存').first().waitFor();
    expect(errors).toEqual([]);
    await page.context().close();

    // the draft holds the file; filed, the 人社 staff see it marked as an 电子证照
    const no = await as('changzhou.applicant', async (p) => {
      const view = await (await p.request.get(`${baseUrl()}/api/v1/cases/${draftId}`)).json() as { data: { onlyChildCertificateFile: { fileId: string }[] } };
      expect(view.data.onlyChildCertificateFile).toEqual([expect.objectContaining({ name: '独生子女父母光荣证.pdf', material: 'only-child-certificate', fileId: expect.any(String) })]);
      const res = await p.request.post(`${baseUrl()}/api/v1/cases/${draftId}/submit`);
      expect(res.status(), await res.text()).toBe(200);
      return (await res.json() as { no: string }).no;
    });
    const staff = await signedIn(browser, 'changzhou.hrss', /\/tasks$/);
    await staff.page.goto(`${baseUrl()}/cases/${draftId}`);
    const files = staff.page.getByTestId('case-files');
    await files.getByText('独生子女父母光荣证.pdf').waitFor();
    expect(await files.getByTestId('file-origin').first().textContent()).toBe('电子证照：独生子女父母光荣证（江苏省电子证照库，证号 DS320402-0520）');
    expect(no).toMatch(/^CZ/);
    // the timeline says so in words
    await staff.page.getByText('复用材料（免提交）').first().waitFor();
    await screenshot(staff.page, 'materials-reuse-staff');
    expect(staff.errors).toEqual([]);
  });
});
