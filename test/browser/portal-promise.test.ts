/**
 * 容缺受理 in the portal: a 六安 case submitted with the personnel file promised gives the
 * applicant a task; they upload the file there and the case goes on with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, openBrowser, screenshot, SCREEN } from './page';
import { signedIn } from './journey.helpers';

describe('容缺 materials handed in later', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should let the applicant upload the promised material from the task page', async () => {
    // given a case submitted over the API with 职工人事档案 promised
    const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'luan.applicant', password: demoPassword() }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const example = loadCity('luan').forms.find((f) => f.key === 'luan-retirement-unit')!.example as Record<string, unknown>;
    const data = { ...example, normalMaterials: [...(example.normalMaterials as unknown[]), { name: '职工人事档案', material: 'personnel-file', promised: true }] };
    const res = await fetch(`${baseUrl()}/api/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ matter: 'luan-retirement', form: 'luan-retirement-unit', data }) });
    expect(res.status).toBe(201);
    const sub = await res.json() as { id: string; no: string };
    const tasks = await (await fetch(`${baseUrl()}/api/v1/tasks`, { headers: { cookie } })).json() as { id: string; caseNo: string; kind: string }[];
    const task = tasks.find((t) => t.caseNo === sub.no && t.kind === 'promise')!;
    // when the applicant opens the task and uploads the file
    const { page, errors } = await signedIn(browser, 'luan.applicant', /\/apply/, SCREEN.phone);
    await page.goto(`${baseUrl()}/my/tasks/${task.id}`);
    await page.getByText('承诺后补以下材料').waitFor();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '上传 职工人事档案' }).click();
    await (await chooser).setFiles({ name: '人事档案.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await page.getByText('已上传：人事档案.pdf').waitFor();
    await screenshot(page, 'portal-promise-task-phone');
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForURL(new RegExp(`/my/cases/${sub.id}$`));
    // then the case goes on with the file in place of the promise
    const view = await (await fetch(`${baseUrl()}/api/v1/cases/${sub.id}`, { headers: { cookie } })).json() as { status: string; data: { normalMaterials: { name: string; promised?: boolean }[] } };
    expect(view.status).toBe('in-progress');
    expect(view.data.normalMaterials.at(-1)).toMatchObject({ name: '人事档案.pdf' });
    expect(view.data.normalMaterials.some((m) => m.promised)).toBe(false);
    expect(errors).toEqual([]);
  });
});
