/**
 * 「省级模板」 in Chromium (issue #22 part 2, docs/templates.md 「The operator」): the platform
 * operator opens the page from 城市管理, makes a new template from 常州's published retirement
 * matter, publishes its first version and sees it in the list; a broken draft of the demo
 * template shows its changes against version 1 and the publish checks' problems one by one;
 * 「更新草稿」 from 六安's matter puts the draft back in line with version 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadCity } from '@lianban/templates';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';
import { designerSignIn } from './journey.helpers';

async function session(username: string) {
  const res = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword() }) });
  expect(res.status, `login ${username}`).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (method: string, url: string, body?: unknown): Promise<unknown> => {
    const r = await fetch(`${baseUrl()}/api/v1${url}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await r.json().catch(() => null);
    expect(r.status, `${method} ${url}: ${JSON.stringify(json)}`).toBeLessThan(300);
    return json;
  };
}

/** The demo template's draft with a linked item whose key the flow does not know (the publish checks refuse it). */
function brokenDraft() {
  const city = loadCity('luan');
  const { key: _key, title, ...matter } = structuredClone(city.matters[0]!);
  const flow = city.flows.find((f) => f.key === matter.flow)!;
  matter.linkedItems[0]!.key = 'nowhere';
  return { title, matter, forms: matter.forms.map((r) => { const f = city.forms.find((x) => x.key === r.key)!; return { key: f.key, title: f.title, schema: f.schema }; }), flow: { key: flow.key, title: flow.title, xml: flow.xml } };
}

describe('省级模板 (operator)', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should make a template from a city\'s matter, publish it and list the version', async () => {
    const { page, errors } = await newPage(browser, SCREEN.office);
    await designerSignIn(page, 'platform.operator');
    await page.waitForURL(/\/designer\/cities$/);
    await page.getByRole('button', { name: '省级模板' }).click();
    await page.waitForURL(/\/designer\/templates$/);
    await page.getByRole('heading', { name: '省级模板' }).waitFor();
    const list = page.getByTestId('templates');
    await list.getByTestId('template-version-retirement').getByText('第 1 版').waitFor();
    expect(await list.locator('tr', { hasText: 'retirement' }).first().innerText()).toContain('与最新版本一致');

    // a key that breaks the rule, then one that exists, are refused in Chinese
    await page.getByRole('button', { name: '从城市事项生成模板' }).click();
    const dialog = page.getByRole('dialog', { name: '从城市事项生成模板' });
    await dialog.getByLabel('模板标识').fill('Retirement CZ');
    await dialog.getByRole('button', { name: '生成模板草稿' }).click();
    await dialog.getByText('模板标识须为小写字母开头的 2–60 位小写字母、数字或连字符').waitFor();
    await dialog.getByLabel('模板标识').fill('retirement');
    await dialog.getByText('模板「retirement」已存在：请在列表中点该模板的「更新草稿」').waitFor();

    // 常州's published retirement matter as the new template retirement-cz
    await dialog.getByLabel('模板标识').fill('retirement-cz');
    await dialog.getByRole('combobox', { name: '城市' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '常州市（changzhou）' }).click();
    await dialog.getByRole('combobox', { name: '已发布的事项' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'changzhou-retirement，第 1 版' }).click();
    expect(await dialog.getByLabel('模板名称').inputValue()).not.toBe('');
    await dialog.getByLabel('模板名称').fill('企业职工退休（常州版）');
    await screenshot(page, 'operator-template-from-city');
    await dialog.getByRole('button', { name: '生成模板草稿' }).click();
    await page.getByText('已生成「企业职工退休（常州版）」的草稿').waitFor();
    const row = list.locator('tr', { hasText: 'retirement-cz' });
    await row.getByText('未发布', { exact: true }).waitFor();
    expect(await row.innerText()).toMatch(/有未发布的修改[\s\S]*来自常州市 changzhou-retirement 第 1 版/);

    // publish its first version: it shows in the list
    await row.getByRole('button', { name: '发布新版本' }).click();
    const publish = page.getByRole('dialog', { name: '发布「企业职工退休（常州版）」第 1 版' });
    await publish.getByText('这是模板的第一个版本').waitFor();
    await publish.getByRole('button', { name: '发布第 1 版' }).click();
    await page.getByText('已发布「retirement-cz」第 1 版').waitFor();
    await list.getByTestId('template-version-retirement-cz').getByText('第 1 版').waitFor();
    expect(await row.innerText()).toContain('与最新版本一致');
    await screenshot(page, 'operator-templates');
    // nothing to publish now: the dialog says so and the button is off (the server would answer 409)
    await row.getByRole('button', { name: '发布新版本' }).click();
    const same = page.getByRole('dialog', { name: '发布「企业职工退休（常州版）」第 2 版' });
    await same.getByText('草稿与最新版本相同，无需发布').waitFor();
    expect(await same.getByRole('button', { name: '发布第 2 版' }).isDisabled()).toBe(true);
    await screenshot(page, 'operator-template-nothing-to-publish');
    await same.getByRole('button', { name: '取消' }).click();
    await same.waitFor({ state: 'hidden' });

    // a broken draft of the demo template: its changes against version 1, then each problem of the checks
    const operator = await session('platform.operator');
    await operator('PUT', '/platform/templates/retirement', brokenDraft());
    await page.reload();
    const demoRow = list.locator('tr', { hasText: 'retirement' }).filter({ hasNotText: 'retirement-cz' }).first();
    await demoRow.getByText('有未发布的修改').waitFor();
    await demoRow.getByRole('button', { name: '发布新版本' }).click();
    const publish2 = page.getByRole('dialog', { name: /第 2 版$/ });
    const changes = publish2.getByTestId('draft-changes');
    await changes.waitFor();
    expect(await changes.innerText()).toMatch(/新增[\s\S]*关联事项 nowhere/);
    expect(await changes.innerText()).toMatch(/删除[\s\S]*关联事项 retirement-normal/);
    await publish2.getByRole('button', { name: '发布第 2 版' }).click();
    const problems = publish2.getByTestId('template-publish-problems');
    await problems.getByText(/发布前检查发现 \d+ 个问题/).waitFor();
    expect(await problems.locator('li').count()).toBeGreaterThan(0);
    expect(await problems.locator('li').first().innerText()).toMatch(/[\u4e00-\u9fff]/);
    await screenshot(page, 'operator-template-problems');
    await publish2.getByRole('button', { name: '取消' }).click();
    expect((await operator('GET', '/platform/templates') as { key: string; version: number }[]).find((t) => t.key === 'retirement')!.version).toBe(1);

    // 「更新草稿」 from 六安's matter: the draft is version 1 again
    await demoRow.getByRole('button', { name: '更新草稿' }).click();
    const update = page.getByRole('dialog', { name: /^更新草稿/ });
    await update.getByRole('combobox', { name: '城市' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '六安市（luan）' }).click();
    await update.getByRole('combobox', { name: '已发布的事项' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'luan-retirement，第 1 版' }).click();
    await update.getByRole('button', { name: '更新草稿' }).click();
    await page.getByText(/的草稿（第 2 版）/).waitFor();
    await demoRow.getByText('与最新版本一致').waitFor();
    // the one failed request is the refused publish (422), shown in the dialog
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  }, 120_000);
});
