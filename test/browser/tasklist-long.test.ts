/**
 * A long staff queue in the browser: the tasklist shows its first page while the rest loads
 * (with how many are loaded so far), then every open task. The second page's answer is held
 * back until the first page has been seen, so the test does not depend on timing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Route } from 'playwright-core';
import { ObjectId } from 'bson';
import { newPage, openBrowser, screenshot, serverDb } from './page';
import { signIn, submitLuanExample } from './journey.helpers';

const CLONES = 259;

describe('a long staff queue in the tasklist', () => {
  let browser: Browser;
  let user = '';
  beforeAll(async () => {
    browser = await openBrowser();
    const { id } = await submitLuanExample();
    const cases = serverDb().collection('cases');
    const real = (await cases.findOne({ _id: new ObjectId(id) }))!;
    const open = (real.tasks as { department: string; state: string }[]).find((t) => t.state === 'open')!;
    user = open.department === 'window' ? 'luan.window' : `luan.${open.department}`;
    // copies of the case with their own numbers and task ids: the queue then has more than one page
    const { _id, ...shape } = real;
    await cases.insertMany(Array.from({ length: CLONES }, (_, i) => ({
      ...shape, _id: new ObjectId(), no: `LA2026113${String(i).padStart(5, '0')}`,
      tasks: (shape.tasks as { id: string }[]).map((t) => ({ ...t, id: `${t.id}-long-${i}` })),
    })));
  });
  afterAll(async () => { await browser?.close(); });

  it('should show the first page at once and the rest when it has arrived', async () => {
    const { page, errors } = await newPage(browser);
    // hold every later page until released
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    await page.route(/\/api\/v1\/tasks\?.*cursor=/, async (route: Route) => { await released; await route.continue(); });
    await signIn(page, user, /\/tasks$/);
    const loading = page.getByTestId('tasks-loading');
    await loading.waitFor();
    expect(await loading.innerText()).toContain('已载入 200 条');
    expect(await page.locator('.lb-task-table tbody tr[data-case]').count()).toBeGreaterThan(0);
    await screenshot(page, 'tasklist-long-loading');
    release();
    await loading.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('task-count').innerText()).toBe(`共 ${CLONES + 1} 条`);
    // showing finished tasks too loads another list: while it loads, the whole list on screen is not
    // counted as "loaded so far" of the new one
    let releaseAll!: () => void;
    const allReleased = new Promise<void>((r) => { releaseAll = r; });
    await page.route(/\/api\/v1\/tasks\?.*state=all/, async (route: Route) => { await allReleased; await route.continue(); });
    await page.locator('.ant-select[aria-label="状态"]').click();
    await page.locator('.ant-select-item-option[title="全部"]').click();
    await expect.poll(async () => (await loading.innerText()).trim()).toBe('正在刷新待办…');
    releaseAll();
    await loading.waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
  });
});
