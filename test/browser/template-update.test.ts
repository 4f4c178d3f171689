/**
 * 「省级模板更新」 in the designer (issue #22 part 2): 常州 derives the demo's provincial template
 * (the shipped 六安 retirement matter) from the matters list, renames a field; the province's version 2 renames the same
 * field otherwise and adds one. The matter editor shows both changes in three columns, the
 * conflict red and unchecked; 「合并所选」 takes the new field and keeps 常州's label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';

const FORM = 'luan-retirement-unit';

async function session(username: string) {
  const res = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword() }) });
  expect(res.status, `login ${username}`).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async <T = Record<string, any>>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl()}/api/v1${url}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await r.json().catch(() => null);
    expect(r.status, `${method} ${url}: ${JSON.stringify(json)}`).toBeLessThan(300);
    return json as T;
  };
}

function templateV2() {
  const city = loadCity('luan');
  const { key: _key, title, ...matter } = city.matters[0]!;
  const flow = city.flows.find((f) => f.key === matter.flow)!;
  const forms = structuredClone(matter.forms.map((r) => { const f = city.forms.find((x) => x.key === r.key)!; return { key: f.key, title: f.title, schema: f.schema }; }));
  const unit = forms.find((f) => f.key === FORM)!.schema as { properties: Record<string, Record<string, unknown>> };
  unit.properties.unitName!.title = '参保单位名称';
  unit.properties = { ...unit.properties, agentEmail: { type: 'string', title: '代办人电子邮箱', 'x-field-type': 'text', maxLength: 100 } };
  return { title, matter, forms, flow: { key: flow.key, title: flow.title, xml: flow.xml } };
}

describe('provincial template update in the designer', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should show the template\'s changes in three columns and merge the chosen ones', async () => {
    const operator = await session('platform.operator');
    expect(await operator('GET', '/platform/templates')).toEqual([expect.objectContaining({ key: 'retirement', version: 1 })]);
    const { page, errors } = await newPage(browser, SCREEN.office);
    await page.goto(`${baseUrl()}/designer/admin`);
    await page.getByLabel('账户').fill('changzhou.admin');
    await page.getByLabel('密码').fill(demoPassword());
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: /城市管理/ }).waitFor();

    // 常州 derives its matter from the template in the matters list, then renames a field
    await page.goto(`${baseUrl()}/designer/matters`);
    await page.getByRole('combobox', { name: '省级模板' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'retirement，第 1 版' }).click();
    await screenshot(page, 'template-derive');
    await page.getByRole('button', { name: '派生本市事项' }).click();
    await page.waitForURL(/\/designer\/matters\/retirement$/);
    const admin = await session('changzhou.admin');
    const form = await admin('GET', `/admin/forms/${FORM}`);
    form.draft.schema.properties.unitName.title = '用人单位全称';
    await admin('PUT', `/admin/forms/${FORM}`, { title: form.title, schema: form.draft.schema });
    // the province publishes version 2
    await operator('PUT', '/platform/templates/retirement', templateV2());
    await operator('POST', '/platform/templates', { key: 'retirement' });

    await page.goto(`${baseUrl()}/designer/matters/retirement`);
    const panel = page.getByTestId('template-update-panel');
    await panel.getByText('省级模板已发布第 2 版，本事项基于第 1 版').waitFor();
    for (const column of ['模板原版', '模板新版', '本市']) await panel.getByRole('columnheader', { name: column }).waitFor();

    const rows = panel.locator('.ant-table-tbody tr.ant-table-row');
    expect(await rows.count()).toBe(2);
    const conflict = rows.filter({ hasText: '冲突' });
    expect(await conflict.innerText()).toMatch(/单位名称[\s\S]*参保单位名称[\s\S]*用人单位全称/);
    expect(await conflict.getByRole('checkbox').isChecked()).toBe(false);
    expect(await rows.filter({ hasText: 'agentEmail' }).getByRole('checkbox').isChecked()).toBe(true);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'template-update-panel');

    await panel.getByRole('button', { name: '合并所选' }).click();
    await page.getByText('已合并省级模板第 2 版：采用 1 项修改').waitFor();
    const after = (await admin('GET', `/admin/forms/${FORM}`)).draft.schema.properties;
    expect(after.agentEmail.title).toBe('代办人电子邮箱');
    expect(after.unitName.title).toBe('用人单位全称');
    await page.getByRole('button', { name: '重新载入草稿' }).click();
    await page.getByRole('heading', { name: '企业职工退休“一件事一次办”' }).waitFor();
    expect(await page.getByTestId('template-update-panel').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
