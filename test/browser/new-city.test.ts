/**
 * A new city without code (issue 22 part 1), in Chromium only: the platform operator creates
 * 芜湖 (`wuhu`, copying nothing) on the designer's 城市管理 page and reads the one-time admin
 * password; 芜湖's administrator signs in with it, must set a new one, then creates a department,
 * a staff account and an applicant account (whose password it resets, so the portal too asks for
 * a new one), a form (imported JSON), a flow (the modeler's 「打开 .bpmn 文件」: drawing it by hand
 * is slow and tested in modeler.test.ts), a matter, and publishes it. The applicant submits a
 * case in the portal and 芜湖's staff sees its task in the tasklist.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeResidentId } from '@lianban/runtime';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';
import { cell, designerSignIn, text } from './journey.helpers';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');
const ADMIN_PASSWORD = 'Wuhu-Admin-2026!';
const STAFF = { username: 'wuhu.hrss', password: 'Wuhu-Hrss-2026!' };
const APPLICANT = { username: 'wuhu.zhang', first: 'Wuhu-First-2026!', reset: 'Wuhu-Reset-2026!', own: 'Zhang-Own-2026!' };

/** Picks `option` in the antd Select named `label` (its aria-label). */
async function pick(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

describe('a new city from nothing to its first case, in the UI alone', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should let the operator create 芜湖 and 芜湖 publish a matter and receive a case', async () => {
    // given: the operator on the designer's 城市管理 page
    const operator = await newPage(browser, SCREEN.office);
    await designerSignIn(operator.page, 'platform.operator', demoPassword());
    await operator.page.waitForURL(/\/designer\/cities$/);
    await operator.page.getByRole('cell', { name: '常州市', exact: true }).waitFor();
    await screenshot(operator.page, 'cities-list');

    // when: 芜湖 is created, copying nothing
    await operator.page.getByRole('button', { name: '新建城市' }).click();
    const modal = operator.page.locator('.ant-modal:visible');
    // 创建 with nothing filled in: the fields say what is missing (and the page throws nothing)
    await modal.getByRole('button', { name: '创建' }).click();
    await modal.getByText('请输入城市标识').waitFor();
    await modal.getByText('请输入城市名称').waitFor();
    await modal.getByLabel('城市标识').fill('wuhu');
    await modal.getByLabel('城市名称').fill('芜湖市');
    await modal.getByLabel('所属省份').fill('安徽省');
    await modal.getByRole('button', { name: '创建' }).click();
    // then: the one-time password is shown once, with a copy button
    const oneTime = (await operator.page.getByTestId('one-time-password').textContent())!.trim();
    expect(oneTime.length).toBeGreaterThanOrEqual(10);
    expect(await operator.page.getByTestId('new-city-admin').textContent()).toBe('wuhu.admin');
    expect(await operator.page.locator('.ant-modal:visible .ant-typography-copy').count()).toBe(1);
    await screenshot(operator.page, 'cities-one-time-password');
    await operator.page.getByRole('button', { name: '我已妥善保存' }).click();
    await operator.page.getByRole('cell', { name: '芜湖市', exact: true }).waitFor();
    // gone once closed: it is never shown again
    await expect.poll(() => operator.page.getByTestId('one-time-password').count()).toBe(0);

    // when: 芜湖's admin signs in with it, and must set a new password first
    const { page, errors } = await newPage(browser, SCREEN.office);
    await designerSignIn(page, 'wuhu.admin', oneTime);
    await page.getByTestId('change-password').waitFor();
    await screenshot(page, 'designer-change-password');
    await page.getByLabel('新密码', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel('再次输入新密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '保存新密码' }).click();
    await page.waitForURL(/\/designer\/matters$/);

    // … a department, a staff account and an applicant account
    await page.getByRole('menuitem', { name: '城市管理' }).click();
    await page.getByRole('heading', { name: '城市管理 · 芜湖市' }).waitFor();
    await page.getByRole('button', { name: '新建部门' }).click();
    const dept = page.locator('.ant-modal:visible');
    await dept.getByLabel('部门名称').fill('人力资源社会保障局');
    await dept.getByLabel('部门标识').fill('hrss');
    await dept.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: '人力资源社会保障局', exact: true }).waitFor();
    await page.getByRole('tab', { name: '账户' }).click();
    await page.getByRole('button', { name: '新建账户' }).click();
    let user = page.locator('.ant-modal:visible');
    await user.getByLabel('账户').fill(STAFF.username);
    await user.getByLabel('姓名').fill('吴经办');
    await pick(page, '所属部门', '人力资源社会保障局（hrss）');
    await user.getByLabel('初始密码').fill(STAFF.password);
    await user.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: STAFF.username, exact: true }).waitFor();
    await page.getByRole('button', { name: '新建账户' }).click();
    user = page.locator('.ant-modal:visible');
    await user.getByLabel('账户').fill(APPLICANT.username);
    await user.getByLabel('姓名').fill('张示例');
    // (here a click on a role sometimes left it as it was, with the validation message of the first
    // change animating in: each box is set until it reads as wanted)
    for (const [role, want] of [['部门工作人员', false], ['申请人', true]] as const) {
      const box = user.getByLabel(role);
      await expect.poll(async () => { await box.setChecked(want).catch(() => undefined); return box.isChecked(); }).toBe(want);
    }
    await user.getByLabel('初始密码').fill(APPLICANT.first);
    await user.getByRole('button', { name: '保存' }).click();
    const applicantRow = page.getByRole('row', { name: new RegExp(APPLICANT.username) });
    await applicantRow.waitFor();
    // the applicant forgot it: the admin resets it, so the portal will ask for a new one
    await applicantRow.getByRole('button', { name: '重置密码' }).click();
    await page.locator('.ant-modal:visible').getByLabel('新密码').fill(APPLICANT.reset);
    await page.locator('.ant-modal:visible').getByRole('button', { name: '保存' }).click();
    await page.locator('.ant-modal:visible').waitFor({ state: 'detached' });
    await screenshot(page, 'new-city-accounts');

    // … a form, imported as JSON
    await page.getByRole('menuitem', { name: '表单' }).click();
    await page.getByPlaceholder(/新表单标识/).fill('wuhu-form');
    await page.getByRole('button', { name: '新建表单' }).click();
    await page.getByLabel('表单名称').waitFor();
    await page.locator('input[type=file][accept*=".json"]').setInputFiles(path.join(FIXTURES, 'wuhu-form.json'));
    await page.getByLabel('表单名称').fill('芜湖退休申请表');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(async () => (await adminGet(page, '/admin/forms')).map((f: { key: string }) => f.key)).toContain('wuhu-form');

    // … a flow, opened from a .bpmn file in the modeler
    await page.getByRole('menuitem', { name: '流程' }).click();
    await page.getByPlaceholder(/新流程标识/).fill('wuhu-flow');
    await page.getByRole('button', { name: '新建流程' }).click();
    await page.waitForFunction(() => !!window.__lianbanModeler, undefined, { timeout: 60_000 });
    await page.getByTestId('bpmn-file-input').setInputFiles(path.join(FIXTURES, 'wuhu.bpmn'));
    await page.locator('[data-element-id="Task_approve"]').waitFor();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('流程草稿已保存').first().waitFor();

    // … a matter with them, published
    await page.getByRole('menuitem', { name: '事项' }).click();
    await page.getByLabel('新事项标识').fill('wuhu-retirement');
    await page.getByLabel('事项名称').fill('芜湖企业职工退休一件事');
    await pick(page, '申请表', '芜湖退休申请表（wuhu-form）');
    await pick(page, '流程', 'wuhu-flow');
    await page.getByRole('button', { name: '新建事项' }).click();
    await page.waitForURL(/\/designer\/matters\/wuhu-retirement$/);
    await page.waitForFunction(() => !!window.__lianbanMatterModeler, undefined, { timeout: 60_000 });
    await page.locator('[data-element-id="Task_approve"]').waitFor();
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.getByText('已发布第 1 版', { exact: true }).waitFor();
    await screenshot(page, 'new-city-matter-published');

    // then: the applicant signs in to the portal, sets a password of their own and submits a case
    const applicant = await newPage(browser, SCREEN.office);
    const portal = applicant.page;
    await portal.goto(`${baseUrl()}/login`);
    await portal.getByLabel('用户名').fill(APPLICANT.username);
    await portal.getByLabel('密码').fill(APPLICANT.reset);
    await portal.getByRole('button', { name: '登录' }).click();
    await portal.getByTestId('change-password').waitFor();
    await screenshot(portal, 'portal-change-password');
    await portal.getByLabel('新密码', { exact: true }).fill(APPLICANT.own);
    await portal.getByLabel('再次输入新密码').fill(APPLICANT.own);
    await portal.getByRole('button', { name: '保存新密码' }).click();
    await portal.waitForURL(/\/apply$/);
    await portal.locator('[data-form="wuhu-form"]').click();
    await cell(portal, 'name').waitFor();
    await text(portal, 'name', '张示例');
    await text(portal, 'idNumber', makeResidentId('340202', '1965-03-15', 15));
    await portal.getByRole('button', { name: '提交申请' }).click();
    await portal.waitForURL(/\/submitted$/);
    const caseNo = /WU\d{12}/.exec((await portal.getByTestId('submitted-no').textContent()) ?? '')?.[0];
    expect(caseNo, 'a 芜湖 case number').toBeTruthy();
    await screenshot(portal, 'new-city-submitted');

    // … and 芜湖's staff sees the task
    const staff = await newPage(browser, SCREEN.office);
    await staff.page.goto(`${baseUrl()}/login`);
    await staff.page.getByLabel('用户名').fill(STAFF.username);
    await staff.page.getByLabel('密码').fill(STAFF.password);
    await staff.page.getByRole('button', { name: '登录' }).click();
    await staff.page.waitForURL(/\/tasks$/);
    await staff.page.locator(`tr[data-case="${caseNo}"][data-task="退休审批"]`).waitFor();
    // the queue is named as 芜湖 named its department, not by a built-in label
    expect(await staff.page.locator('[data-queue="hrss"]').innerText()).toContain('人力资源社会保障局');
    await screenshot(staff.page, 'new-city-staff-task');

    // and the operator's list counts it
    await operator.page.reload();
    const row = operator.page.getByRole('row', { name: /芜湖市/ });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(['芜湖市', 'wuhu', '安徽省', 'WU', '1', '3', '1', '1', '重置管理员密码']);
    // the designer asks for a new form's and a new flow's draft by key and takes the 404 as 「new」
    expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
    expect([...operator.errors, ...applicant.errors, ...staff.errors]).toEqual([]);
  }, 360_000);
});

/** GET through the page's own session (the designer's cookie). */
async function adminGet(page: Page, url: string) {
  return page.evaluate(async (u) => (await fetch(`/api/v1${u}`)).json(), url);
}
