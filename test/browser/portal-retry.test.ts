/**
 * A submission whose answer is lost (the connection drops after the server has taken it): the
 * portal asks the case itself, finds it submitted, and shows its confirmation — no network error
 * for something that worked, no second case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, openBrowser } from './page';
import { signedIn } from './journey.helpers';

describe('a submission whose answer is lost', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should confirm the case the first attempt submitted', async () => {
    // given a complete 常州 draft
    const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'changzhou.applicant', password: demoPassword() }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const form = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!;
    const data = { ...form.example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const res = await fetch(`${baseUrl()}/api/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data, draft: true }) });
    expect(res.status).toBe(201);
    const draft = await res.json() as { id: string };
    const casesBefore = (await (await fetch(`${baseUrl()}/api/v1/cases`, { headers: { cookie } })).json() as unknown[]).length;

    // when the submit reaches the server but its answer is lost on the way back
    const { page, errors } = await signedIn(browser, 'changzhou.applicant', /\/apply/);
    let lost = 0;
    await page.route('**/api/v1/cases/*/submit', async (route) => {
      if (lost++ > 0) return route.continue();
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.goto(`${baseUrl()}/apply/changzhou-retirement/changzhou-retirement/${draft.id}`);
    await page.getByRole('button', { name: '提交申请' }).click();

    // then the applicant sees the confirmation of that case, which the server holds once
    await page.waitForURL(new RegExp(`/my/cases/${draft.id}/submitted$`));
    const view = await (await fetch(`${baseUrl()}/api/v1/cases/${draft.id}`, { headers: { cookie } })).json() as { no: string; status: string };
    expect(view.status).toBe('in-progress');
    await page.getByText(view.no).waitFor();
    expect((await (await fetch(`${baseUrl()}/api/v1/cases`, { headers: { cookie } })).json() as unknown[]).length).toBe(casesBefore);
    expect(lost).toBe(1);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
