/**
 * 节假日安排 in Chromium: the platform operator enters a fictitious test holiday for next year
 * (no real schedule is invented) on the designer's page beside 城市管理 — a range with a name and a
 * 调休 working day — and saves; a deadline computed afterwards skips it. A city administrator
 * sees the missing-year warning until then (designer and the web dashboard); the staff's tasklist loads the entered year.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chinaYear, deadlineDue, packageKnows } from '@lianban/runtime';
import { demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';
import { designerSignIn, signIn } from './journey.helpers';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('节假日安排 (operator)', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should let the operator enter next year\'s holiday, and a deadline computed afterwards skip it', async () => {
    const next = chinaYear() + 1;
    // a fictitious test holiday: the first Wednesday of March of next year to the Sunday after
    // (the weekdays Wed–Fri are stored), and the Saturday before it as a 调休 working day
    let wed = Date.UTC(next, 2, 1);
    while (new Date(wed).getUTCDay() !== 3) wed += DAY;
    const monday = iso(wed - 2 * DAY);
    const due = () => deadlineDue(new Date(`${monday}T10:00:00+08:00`), 5).toISOString();
    // before: Tue, Wed, Thu, Fri, Mon
    expect(due()).toBe(new Date(`${iso(wed + 5 * DAY)}T17:00:00+08:00`).toISOString());
    const nextMissing = !packageKnows(next) && packageKnows(next - 1) && Date.now() >= Date.parse(`${next - 1}-11-01T00:00:00+08:00`);

    // given: a city administrator sees the warning while next year is missing
    const admin = await newPage(browser, SCREEN.office);
    await designerSignIn(admin.page, 'luan.admin', demoPassword());
    await admin.page.waitForURL(/\/designer\/matters$/);
    if (nextMissing) {
      await admin.page.getByTestId('calendar-missing').getByText(`${next} 年节假日安排未录入：工作日按周一至周五计算`).waitFor();
      await screenshot(admin.page, 'calendar-admin-missing');
    }
    // and on the city dashboard of the web app
    const dash = await newPage(browser, SCREEN.office);
    await signIn(dash.page, 'luan.admin', /\/dashboard$/);
    if (nextMissing) {
      await dash.page.getByTestId('calendar-missing').getByText(`${next} 年节假日安排未录入：工作日按周一至周五计算`).waitFor();
      await screenshot(dash.page, 'calendar-dashboard-missing');
    }

    // when: the operator opens 节假日安排 from 城市管理
    const { page, errors } = await newPage(browser, SCREEN.office);
    await designerSignIn(page, 'platform.operator', demoPassword());
    await page.waitForURL(/\/designer\/cities$/);
    await page.getByRole('button', { name: '节假日安排' }).click();
    await page.waitForURL(/\/designer\/calendar$/);
    await page.getByRole('heading', { name: '节假日安排' }).waitFor();
    await page.getByTestId('calendar-years').getByText(`${next} 年`).first().click();
    if (nextMissing) {
      expect(await page.getByTestId('calendar-missing').locator('.ant-alert-message').textContent()).toBe(`${next} 年节假日安排未录入：工作日按周一至周五计算`);
      await screenshot(page, 'calendar-missing');
    }

    // a holiday without a name is refused with a Chinese message
    await page.getByLabel('放假开始').fill(iso(wed));
    await page.getByRole('button', { name: '添加放假' }).click();
    await page.getByTestId('calendar-error').getByText('请填写节日名称，如「元旦」').waitFor();

    // the range Wed … Sun with its name, and the 调休 Saturday before
    await page.getByLabel('节日名称').fill('测试假日');
    await page.getByLabel('放假结束').fill(iso(wed + 4 * DAY));
    await page.getByRole('button', { name: '添加放假' }).click();
    await page.getByLabel('调休名称').fill('测试调休');
    await page.getByLabel('调休日期').fill(iso(wed - 4 * DAY));
    await page.getByRole('button', { name: '添加调休' }).click();
    const rows = page.getByTestId('calendar-days').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    expect(await rows.first().textContent()).toContain('调休上班');
    await page.getByRole('button', { name: `保存 ${next} 年安排` }).click();
    await page.getByText(`已保存 ${next} 年节假日安排`).waitFor();

    // then: the year is entered, and a deadline counted now skips the holiday (Tue, Mon, Tue, Wed, Thu)
    await page.getByTestId('calendar-years').getByText('已录入').waitFor();
    await page.getByText(`${next} 年节假日安排已录入（4 个日期）`).waitFor();
    expect(due()).toBe(new Date(`${iso(wed + 8 * DAY)}T17:00:00+08:00`).toISOString());
    await screenshot(page, 'calendar-entered');
    expect(errors).toEqual([]);

    // and the administrator's warning is gone
    if (nextMissing) {
      await admin.page.reload();
      await admin.page.getByRole('menuitem', { name: '事项' }).waitFor();
      await admin.page.getByRole('heading').first().waitFor();
      await expect.poll(() => admin.page.getByTestId('calendar-missing').count()).toBe(0);
    }
    expect(admin.errors).toEqual([]);
    if (nextMissing) {
      await dash.page.reload();
      await dash.page.getByRole('heading', { name: '全市办件统计' }).waitFor();
      await dash.page.getByTestId('stats-export').waitFor();
      await expect.poll(() => dash.page.getByTestId('calendar-missing').count()).toBe(0);
    }
    expect(dash.errors).toEqual([]);

    // and the staff's tasklist loads the entered year for its deadline labels
    const staff = await newPage(browser, SCREEN.office);
    const answered = staff.page.waitForResponse((r) => r.url().endsWith(`/api/v1/calendar/${next}`));
    await signIn(staff.page, 'luan.hrss', /\/tasks/);
    const view = await (await answered).json();
    expect(view).toMatchObject({ year: next, coverage: 'entered' });
    expect(view.days.map((d: { date: string }) => d.date)).toContain(iso(wed));
    expect(staff.errors).toEqual([]);
  });
});
