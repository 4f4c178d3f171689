/**
 * Elder-friendly filling (issue 11): the 常州 application completed by keyboard alone (Tab,
 * Shift+Tab, Enter, Space, arrow keys and typing — no mouse) in care mode (关怀模式) on a phone,
 * one group per step, through to the confirmation; and forgiving filling: the draft is saved by
 * itself, values typed before a reload or a session timeout come back, 稍后继续 leaves a draft.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';
import { cell, signIn } from './journey.helpers';
import { expectNoSeriousViolations } from './axe';
import { loadCity } from '@lianban/templates';

const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;

/** What has the focus: tag, id, role, accessible text (for failure messages). */
const focused = (page: Page) => page.evaluate(() => {
  const e = document.activeElement as HTMLElement | null;
  if (!e) return '(none)';
  return `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.getAttribute('role') ? `[role=${e.getAttribute('role')}]` : ''} "${(e.getAttribute('aria-label') ?? e.textContent ?? (e as HTMLInputElement).value ?? '').trim().slice(0, 30)}"`;
});

/** Presses Tab until the focused element matches `selector`; fails listing what got the focus on the way. */
async function tabTo(page: Page, selector: string, max = 40) {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => !!document.activeElement?.matches(s), selector)) return;
    seen.push(await focused(page));
  }
  throw new Error(`Tab never reached ${selector}; focus went through:\n${seen.join('\n')}`);
}

const control = (path: string) => `[id="lb-${path}"]`;
/** The radios of a field (Tab enters a radio group on its first radio when none is chosen). */
const radioOf = (path: string) => `.lb-cell[data-path="${path}"] input[type=radio]`;

async function typeInto(page: Page, path: string, value: string) {
  await tabTo(page, control(path));
  await page.keyboard.type(value);
}

/** A month typed into the date picker, confirmed with Enter, the popup closed with Escape. */
async function typeMonth(page: Page, path: string, typed: string) {
  await tabTo(page, control(path));
  await page.keyboard.type(typed);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

/** Chooses the n-th option (0-based) of a radio field: Space on the first, arrows to the others. */
async function chooseRadio(page: Page, path: string, index: number) {
  await tabTo(page, radioOf(path));
  if (index === 0) await page.keyboard.press('Space');
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowRight');
}

const checkedLabel = (page: Page, path: string) =>
  page.locator(`.lb-cell[data-path="${path}"] .ant-radio-wrapper-checked`).textContent();

/** Tabs to the button with this exact text and presses Enter. */
async function activate(page: Page, text: string, max = 40) {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate((t) => {
      const e = document.activeElement as HTMLElement | null;
      return !!e && (e.tagName === 'BUTTON' || e.tagName === 'A') && (e.textContent ?? '').trim() === t;
    }, text);
    if (hit) { await page.keyboard.press('Enter'); return; }
    seen.push(await focused(page));
  }
  throw new Error(`Tab never reached "${text}"; focus went through:\n${seen.join('\n')}`);
}

const stepText = (page: Page) => page.getByTestId('steps').locator('.lb-steps-count').textContent();

describe('care mode by keyboard on a phone', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should complete the 常州 application by keyboard alone, one group per step, to the confirmation', async () => {
    const { page, errors } = await newPage(browser, SCREEN.phone);
    // sign in by keyboard (the user name field has the focus)
    await page.goto(baseUrl() + '/login');
    await page.getByLabel('用户名').waitFor();
    await page.keyboard.type('changzhou.applicant');
    await page.keyboard.press('Tab');
    await page.keyboard.type(demoPassword());
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/apply$/);
    await page.locator('[data-form="changzhou-retirement"]').waitFor();
    await page.screenshot({ path: 'test-results/screenshots/care-keyboard-0-apply-normal-phone.png' });

    // the one-click switch, by keyboard
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, '[data-testid="care-toggle"]');
    await page.keyboard.press('Space');
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('lb-care'))).toBe(true);
    expect(await page.getByTestId('care-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => localStorage.getItem('lianban.care'))).toBe('1');
    // body text is at least 18 px and controls at least 48 px high
    expect(await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.lb-content')!).fontSize))).toBeGreaterThanOrEqual(18);
    await page.screenshot({ path: 'test-results/screenshots/care-keyboard-1-apply-care-phone.png' });

    // open the form by keyboard
    await tabTo(page, '[data-form="changzhou-retirement"]');
    await page.keyboard.press('Enter');
    await cell(page, 'unitName').waitFor();
    expect(await stepText(page)).toBe('第 1 步，共 3 步：退休审批事项');
    // only the first group is shown
    expect(await cell(page, 'socializedManagement').isVisible()).toBe(false);
    // the text box (the input's frame) is at least 48 px high
    expect(await page.locator(control('unitName')).evaluate((e) => (e.closest('.ant-input-affix-wrapper') ?? e).getBoundingClientRect().height)).toBeGreaterThanOrEqual(48);
    await page.screenshot({ path: 'test-results/screenshots/care-keyboard-2-form-top-phone.png' });

    // step 1: 退休审批事项
    await typeInto(page, 'unitName', '常州示例精密机械有限公司');
    await typeInto(page, 'unitCode', '32040000123');
    await typeInto(page, 'name', '赵示例');
    await typeInto(page, 'idNumber', '320402196603121351');
    // the ID number fills birth date and gender
    await expect.poll(() => cell(page, 'idNumber').locator('[data-derived]').textContent()).toBe('出生日期 1966-03-12 · 性别 男');
    await expect.poll(() => cell(page, 'gender').textContent()).toContain('男');
    await expect.poll(() => cell(page, 'birthMonth').textContent()).toContain('1966-03');
    await tabTo(page, control('ethnicity'));
    await page.keyboard.press('ArrowDown');
    await page.locator('.ant-select-dropdown:visible').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => cell(page, 'ethnicity').locator('.ant-select-selection-item').textContent()).toBe('汉族');
    await chooseRadio(page, 'identity', 1);
    expect(await checkedLabel(page, 'identity')).toBe('工人');
    await chooseRadio(page, 'postNature', 1);
    expect(await checkedLabel(page, 'postNature')).toBe('非管理技术岗位');
    await typeInto(page, 'address', '江苏省常州市天宁区示例路12号');
    await typeInto(page, 'mobile', '139 1234 5678');
    // dates typed as people write them
    await typeMonth(page, 'workStart', '198409');
    await typeMonth(page, 'retireAt', '2026年7月');
    await chooseRadio(page, 'retireType', 0);
    expect(await checkedLabel(page, 'retireType')).toBe('正常退休');
    await expect.poll(() => cell(page, 'statutoryAge').textContent()).toContain('60岁');
    // a row added by mistake to 中断时间 (none), removed again with Shift+Tab and Enter
    await activate(page, '添加一行');
    await expect.poll(() => cell(page, 'interruptions').locator('tbody tr:not(:has(.lb-rows-empty))').count()).toBe(1);
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toContain('删除第1行');
    await page.keyboard.press('Enter');
    await expect.poll(() => cell(page, 'interruptions').locator('.lb-rows-empty').count()).toBe(1);
    // 工作简历: add a row
    await tabTo(page, '.lb-cell[data-path="workHistory"] .lb-rows > button');
    await page.keyboard.press('Enter');
    await expect.poll(() => cell(page, 'workHistory').locator('tbody tr:not(:has(.lb-rows-empty))').count()).toBe(1);
    await typeMonth(page, 'workHistory.0.from', '1984-09');
    await typeInto(page, 'workHistory.0.unitAndPost', '常州示例精密机械有限公司 钳工');
    await chooseRadio(page, 'militaryCadre', 1);
    await chooseRadio(page, 'seniorTitle', 1);
    await page.screenshot({ path: 'test-results/screenshots/care-keyboard-3-step1-filled-phone.png' });
    await activate(page, '下一步');
    await expect.poll(() => stepText(page)).toBe('第 2 步，共 3 步：联办事项');
    // the focus moved to the progress, so Tab continues with the new group
    expect(await focused(page)).toContain('第 2 步');

    // step 2: 联办事项 — first try to go on without answering: the errors are on the fields
    await activate(page, '下一步');
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toContain('本步有 4 处需要修改');
    await expect.poll(() => focused(page)).toContain('input');
    expect(await page.evaluate(() => document.activeElement?.closest('.lb-cell')?.getAttribute('data-path'))).toBe('socializedManagement');
    const group = cell(page, 'socializedManagement').locator('[role=radiogroup]');
    expect(await group.getAttribute('aria-invalid')).toBe('true');
    expect(await cell(page, 'socializedManagement').locator('.lb-error').textContent()).toBe('此项为必填项');
    await page.screenshot({ path: 'test-results/screenshots/care-keyboard-4-step2-errors-phone.png' });
    await expectNoSeriousViolations(page, 'care mode step 2 with errors (phone)');
    // the focus is on the first radio of 是否纳入社会化管理: choose 否 with the arrow key
    await page.keyboard.press('ArrowRight');
    expect(await checkedLabel(page, 'socializedManagement')).toBe('否');
    await chooseRadio(page, 'medicalInsuranceTransfer', 0);
    await chooseRadio(page, 'housingFundWithdrawal', 0);
    await chooseRadio(page, 'printCertificate', 0);
    expect(await checkedLabel(page, 'housingFundWithdrawal')).toBe('是');
    await activate(page, '下一步');
    await expect.poll(() => stepText(page)).toBe('第 3 步，共 3 步：其他');

    // step 3: 其他, then submit
    await chooseRadio(page, 'hasOnlyChildCertificate', 1);
    expect(await checkedLabel(page, 'hasOnlyChildCertificate')).toBe('否');
    await page.screenshot({ path: 'test-results/screenshots/care-keyboard-5-step3-phone.png' });
    await activate(page, '提交申请');
    await page.waitForURL(/\/my\/cases\/[^/]+\/submitted$/);
    const confirmation = await page.getByTestId('submitted-no').textContent();
    expect(confirmation).toMatch(/CZ\d{12}/);
    await page.screenshot({ path: 'test-results/screenshots/care-keyboard-6-submitted-phone.png' });
    await screenshot(page, 'care-keyboard-submitted-full-phone');

    // the case holds what was typed, in the stored formats
    const caseId = /\/my\/cases\/([^/]+)\/submitted/.exec(page.url())![1]!;
    const view = await (await page.request.get(`${baseUrl()}/api/v1/cases/${caseId}`)).json() as { status: string; data: Record<string, unknown> };
    expect(view.status).toBe('in-progress');
    expect(view.data).toMatchObject({ workStart: '1984-09', retireAt: '2026-07', mobile: '13912345678', identity: '工人', socializedManagement: false, housingFundWithdrawal: true, gender: 'male', birthMonth: '1966-03' });
    expect(view.data.interruptions ?? []).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('should keep what was typed through autosave, a reload and a session timeout, and leave a draft on 稍后继续', async () => {
    const { page, errors } = await newPage(browser, SCREEN.phone);
    await page.context().addInitScript(() => localStorage.setItem('lianban.care', '1'));
    await signIn(page, 'changzhou.applicant', /\/apply$/);
    await page.goto(`${baseUrl()}/apply/changzhou-retirement/changzhou-retirement`);
    await cell(page, 'unitName').waitFor();
    // the first Tab stop skips the header
    await page.keyboard.press('Tab');
    expect(await focused(page)).toContain('跳到主要内容');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('lb-main');
    // opening the form saves nothing
    await page.waitForTimeout(3000);
    expect(await page.getByTestId('autosave').textContent()).toBe('');
    expect(page.url()).toMatch(/changzhou-retirement(#lb-main)?$/);
    // typing is saved to a draft by itself
    await page.locator(control('unitName')).fill('常州自动保存有限公司');
    await page.getByTestId('autosave').getByText('已自动保存').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.url()).toMatch(/changzhou-retirement\/[0-9a-f]{24}$/);
    const draftUrl = page.url();
    // typed, then reloaded before the autosave: restored from the tab
    await page.locator(control('name')).fill('钱未保存');
    await page.reload();
    await cell(page, 'unitName').waitFor();
    await page.getByTestId('restored').waitFor();
    expect(await page.locator(control('unitName')).inputValue()).toBe('常州自动保存有限公司');
    expect(await page.locator(control('name')).inputValue()).toBe('钱未保存');
    // the session times out: the next save sends the tab to the sign-in page, nothing is lost
    await page.context().clearCookies();
    await page.locator(control('address')).fill('超时前填写的地址');
    await page.waitForURL(/\/login\?next=/, { timeout: 15_000 });
    await page.getByLabel('用户名').fill('changzhou.applicant');
    await page.getByLabel('密码').fill(demoPassword());
    await page.getByLabel('密码').press('Enter');
    await page.waitForURL(draftUrl);
    await cell(page, 'unitName').waitFor();
    await page.getByTestId('restored').waitFor();
    expect(await page.locator(control('address')).inputValue()).toBe('超时前填写的地址');
    expect(await page.locator(control('name')).inputValue()).toBe('钱未保存');
    // 稍后继续: saved, and the draft is offered under 我的草稿
    await page.getByTestId('continue-later').click();
    await page.waitForURL(/\/apply$/);
    await page.getByTestId('my-drafts').getByRole('link', { name: '继续填写' }).first().waitFor();
    const id = draftUrl.split('/').at(-1)!;
    const draft = await (await page.request.get(`${baseUrl()}/api/v1/cases/${id}`)).json() as { status: string; data: Record<string, unknown> };
    expect(draft.status).toBe('draft');
    expect(draft.data).toMatchObject({ unitName: '常州自动保存有限公司', name: '钱未保存', address: '超时前填写的地址' });
    // the 401 of the timed-out save is the only console error expected
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it('should let staff handle a task by keyboard alone in care mode (queue, claim, outcome, comment, complete)', async () => {
    // given a submitted 常州 case waiting for 人社's approval
    const { page: applicant } = await newPage(browser, SCREEN.office);
    await signIn(applicant, 'changzhou.applicant', /\/apply$/);
    const res = await applicant.request.post(`${baseUrl()}/api/v1/cases`, { data: { matter: 'changzhou-retirement', form: 'changzhou-retirement', data: { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined } } });
    expect(res.status()).toBe(201);
    const { id, no } = await res.json() as { id: string; no: string };
    // when 人社 staff work by keyboard: sign in, switch care mode on, open the task from the queue
    const { page, errors } = await newPage(browser, SCREEN.office);
    await page.goto(baseUrl() + '/login');
    await page.getByLabel('用户名').waitFor();
    await page.keyboard.type('changzhou.hrss');
    await page.keyboard.press('Tab');
    await page.keyboard.type(demoPassword());
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/tasks$/);
    await page.locator(`tr[data-case="${no}"]`).waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, '[data-testid="care-toggle"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('lb-care'))).toBe(true);
    await page.screenshot({ path: 'test-results/screenshots/care-keyboard-7-tasklist-office.png' });
    await tabTo(page, `tr[data-case="${no}"] a[href^="/tasks/"]`);
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('complete-panel');
    await panel.waitFor();
    await activate(page, '认领');
    await panel.getByRole('button', { name: '取消认领' }).waitFor();
    await tabTo(page, '[data-testid="complete-panel"] input[type=radio]');
    await page.keyboard.press('Space');
    expect(await panel.locator('.ant-radio-wrapper-checked').textContent()).toBe('批准');
    await tabTo(page, '#lb-comment');
    await page.keyboard.type('符合退休条件');
    await page.screenshot({ path: 'test-results/screenshots/care-keyboard-8-task-office.png' });
    await activate(page, '提交办理结果');
    await page.waitForURL(/\/tasks$/);
    // then the approval is recorded with its comment
    const view = await (await applicant.request.get(`${baseUrl()}/api/v1/cases/${id}`)).json() as { tasks: { name: string; state: string }[]; timeline: { action: string; detail?: unknown }[] };
    expect(view.tasks.find((x) => x.name === '企业职工退休审批')?.state).toBe('done');
    expect(JSON.stringify(view.timeline)).toContain('符合退休条件');
    expect(errors).toEqual([]);
  });
});
