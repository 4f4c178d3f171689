/**
 * The office moves in one 六安 journey (issue #18), through the real UI in Chromium:
 * a walk-in citizen at the window with an agent (授权委托书 as a material, 受理回执 printed on the
 * spot) → the window accepts → 人社 returns the case to the applicant for 补正 with one listed
 * field → the citizen (an applicant account with the same ID number) signs in, corrects only that
 * field and resubmits → 人社 转办 the task to a colleague, who completes it → 公积金 加签
 * (并行加签) a colleague, both finish → the case is 办结.
 *
 * The API is used only for setup where the tasklist has no UI (accounts: a second staff member in
 * 人社 and in 公积金, the citizen's applicant account) and for the final cross-check of the case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { baseUrl, demoPassword, openBrowser, screenshot } from './page';
import { cell, choose, date, signedIn, text } from './journey.helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
/** The citizen (fictitious, valid GB 11643 check digit) and the agent, their son. */
const CITIZEN_ID = '341502196603121351';
const AGENT_ID = '341502199001010017';

async function apiAs(username: string) {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword() }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return async <T>(path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${baseUrl()}/api/v1${path}`, body === undefined ? { headers: { cookie } } : { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: baseUrl() }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() as T };
  };
}

async function upload(page: Page, path: string, material: string, name: string) {
  const row = cell(page, path).locator('.lb-material', { hasText: material });
  await row.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
  await row.locator('.lb-file', { hasText: name }).waitFor();
}

async function pick(page: Page, label: string, option: string) {
  await page.locator('.ant-select', { has: page.getByRole('combobox', { name: label }) }).locator('.ant-select-selector').click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

/** The queue row of a task of the case (after reloading the tasklist). */
async function queueRow(page: Page, caseNo: string, taskName: string) {
  await page.goto(`${baseUrl()}/tasks`);
  const row = page.locator(`tr[data-case="${caseNo}"][data-task="${taskName}"]`);
  await row.waitFor();
  return row;
}

/** Timeline labels of the case view shown on the page (newest first). */
async function timeline(page: Page): Promise<string[]> {
  await page.locator('.lb-timeline').waitFor();
  return page.locator('.lb-timeline .ant-timeline-item strong').allTextContents();
}

/** Picks an option of the moves dialog's colleague select by username. */
async function pickColleague(page: Page, dialog: ReturnType<Page['getByRole']>, label: string, username: string) {
  await dialog.getByRole('combobox', { name: label }).click();
  await page.keyboard.type(username);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `（${username} ` }).click();
}

type CaseView = {
  status: string; channel?: string; applicant?: string;
  tasks: { id: string; name: string; state: string; kind?: string; claimedBy?: string; completedBy?: string; outcome?: string; parentId?: string }[];
  timeline: { action: string; actor: string; detail?: string }[];
  data: Record<string, unknown>;
  items?: { key: string; status: string }[];
};

describe('六安 office journey in the browser (窗口收件 → 补正 → 转办 → 加签 → 办结)', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should take a walk-in case with an agent through 补正, 转办 and 加签 to its end', async () => {
    // Setup (no UI in the tasklist for accounts): a colleague in 人社 and in 公积金.
    const admin = await apiAs('luan.admin');
    for (const [username, department, displayName] of [['luan.hrss2', 'hrss', '人社同事'], ['luan.housing2', 'housing-fund', '公积金同事']] as const) {
      const made = await admin('/admin/users', { username, password: demoPassword(), roles: ['staff'], departments: [department], displayName });
      expect(made.status).toBe(201);
    }

    // 1. 窗口收件: the window staff file the case for the citizen, who came with an agent
    const window = await signedIn(browser, 'luan.window', /\/tasks$/);
    const wp = window.page;
    await wp.getByRole('link', { name: '窗口收件' }).click();
    await wp.waitForURL(/\/counter$/);
    await pick(wp, '事项', '企业职工退休“一件事一次办”');
    await pick(wp, '申请表', '企业职工退休“一件事一次办”申请表（2023版）（单位代办）');
    await wp.getByLabel('申请人姓名').fill('李示例');
    await wp.getByLabel('申请人公民身份号码').fill(CITIZEN_ID);
    await wp.getByLabel('联系电话（手机）').fill('13905640000');
    await wp.getByText('他人代办（帮办代办）').click();
    await wp.getByLabel('代办人姓名').fill('李小示');
    await wp.getByLabel('代办人公民身份号码').fill(AGENT_ID);
    await wp.getByLabel('与申请人关系').fill('子女');
    await wp.locator('.lb-counter-letter input[type=file]').setInputFiles({ name: '授权委托书.pdf', mimeType: 'application/pdf', buffer: PDF });
    await wp.getByTestId('letter-name').waitFor();
    await cell(wp, 'unitName').waitFor();
    await text(wp, 'unitName', '六安示例机械制造有限公司');
    await text(wp, 'unitAddress', '安徽省六安市金安区示例路88号');
    await text(wp, 'agentName', '李小示');
    await text(wp, 'agentPhone', '0564-3210000');
    await text(wp, 'employeeName', '李示例');
    await text(wp, 'employeeIdNumber', CITIZEN_ID);
    await choose(wp, 'retirementNormal', '是');
    await upload(wp, 'requiredMaterials', '参保单位办理职工退休手续的请示', '关于李示例办理退休手续的请示.pdf');
    await upload(wp, 'requiredMaterials', '职工本人社会保障卡', '社会保障卡.pdf');
    await choose(wp, 'hasPersonnelFile', '否');
    await upload(wp, 'normalMaterials', '《拟退休（退职）人员申请表》', '拟退休人员申请表.pdf');
    await choose(wp, 'medicalInsuranceTransfer', '否');
    await choose(wp, 'housingFundWithdrawal', '是');
    await text(wp, 'signature', '李示例');
    await date(wp, 'signDate', '2026-06-15');
    await wp.getByText('已为申请人建立办件草稿').waitFor();
    await wp.getByRole('button', { name: '提交受理并打印回执' }).click();
    // the 受理回执 is there on the spot, ready to print
    await wp.waitForURL(/\/counter\/[0-9a-f]+\/receipt$/);
    const caseId = /\/counter\/([0-9a-f]+)\/receipt$/.exec(wp.url())![1]!;
    const caseNo = (await wp.getByTestId('receipt-no').textContent()) ?? '';
    expect(caseNo).toMatch(/^LA\d{12}$/);
    const receipt = wp.locator('.lb-receipt');
    await expect.poll(() => receipt.textContent()).toContain('李小示（子女）');
    expect(await receipt.textContent()).toContain('授权委托书：授权委托书.pdf');
    await screenshot(wp, 'office-journey-1-receipt');
    // and it is in the window's 「我受理的」 list, with its receipt at hand
    await wp.getByRole('link', { name: '我受理的' }).click();
    await wp.waitForURL(/\/counter\/cases$/);
    const filedRow = wp.locator(`.lb-followed-table tr[data-case="${caseNo}"]`);
    await filedRow.waitFor();
    expect(await filedRow.textContent()).toContain('李示例');
    expect(await filedRow.getByRole('link', { name: '受理回执' }).getAttribute('href')).toBe(`/counter/${caseId}/receipt`);

    // the window accepts (一窗受理) in its queue
    let row = await queueRow(wp, caseNo, '一窗受理（查验申请表及材料）');
    await row.getByRole('link', { name: '办理' }).click();
    let panel = wp.getByTestId('complete-panel');
    await panel.getByRole('button', { name: '认领' }).click();
    await panel.getByRole('button', { name: '取消认领' }).waitFor();
    await panel.getByText('受理', { exact: true }).click();
    await panel.getByRole('button', { name: '提交办理结果' }).click();
    await wp.waitForURL(/\/tasks$/);

    // 2. 人社 returns it to the applicant for 补正, listing the agent's phone number
    const hrss = await signedIn(browser, 'luan.hrss', /\/tasks$/);
    const hp = hrss.page;
    row = await queueRow(hp, caseNo, '职工正常退休审批');
    await row.getByRole('link', { name: '办理' }).click();
    await hp.getByTestId('return-open').click();
    let dialog = hp.getByRole('dialog');
    await dialog.getByTestId('return-to-applicant').click();
    await dialog.getByTestId('return-fields').click();
    await hp.keyboard.type('联系电话');
    // picked by the keyboard once the filtered option shows (a click on the opening dropdown was once lost)
    await hp.locator('.ant-select-dropdown:visible .ant-select-item-option-active[title="联系电话"]').waitFor();
    await hp.keyboard.press('Enter');
    await dialog.getByLabel('「联系电话」的说明').fill('请填写代办人能接通的手机号码');
    await dialog.getByTestId('return-reason').fill('代办人联系电话无法接通');
    await dialog.getByRole('button', { name: '确认退回' }).click();
    await hp.waitForURL(/\/tasks$/);
    await hp.getByText('已退回申请人补正').waitFor();
    expect(await hp.locator(`tr[data-case="${caseNo}"][data-task="职工正常退休审批"]`).count()).toBe(0);

    // 3. the citizen gets an applicant account with the same ID number (setup: API), signs in,
    //    finds the case filed at the window among theirs, corrects only the listed field
    const made = await admin('/admin/users', { username: 'luan.lishili', password: demoPassword(), roles: ['applicant'], idNumber: CITIZEN_ID, displayName: '李示例' });
    expect(made.status).toBe(201);
    const citizen = await signedIn(browser, 'luan.lishili', /\/apply$/);
    const cp = citizen.page;
    await cp.getByTestId('my-cases').locator(`[data-case="${caseNo}"]`).getByRole('link').click();
    await cp.waitForURL(new RegExp(`/my/cases/${caseId}$`));
    const correction = cp.getByTestId('correction-panel');
    await correction.waitFor();
    expect(await cp.getByTestId('case-status').textContent()).toContain('待补正');
    expect(await correction.getByTestId('correction-list').locator('.ant-list-item').allTextContents()).toEqual(['1. 联系电话：请填写代办人能接通的手机号码']);
    await expect.poll(() => correction.locator('.lb-cell[data-path="unitName"] input').first().isDisabled()).toBe(true);
    expect(await correction.locator('.lb-cell[data-path="agentName"] input').first().isDisabled()).toBe(true);
    const phone = correction.locator('.lb-cell[data-path="agentPhone"] input').first();
    expect(await phone.isDisabled()).toBe(false);
    await phone.fill('13905641234');
    await screenshot(cp, 'office-journey-2-correction');
    await correction.getByTestId('resubmit').click();
    await cp.getByText('补正已提交，办件继续办理').waitFor();
    await expect.poll(() => cp.getByTestId('case-status').textContent()).toContain('办理中');
    expect(await timeline(cp)).toEqual(expect.arrayContaining(['退回申请人补正', '提交补正', '重新办理']));

    // 4. 人社 claims the reopened task and 转办 it to a colleague of 人社
    row = await queueRow(hp, caseNo, '职工正常退休审批');
    await row.getByRole('link', { name: '办理' }).click();
    panel = hp.getByTestId('complete-panel');
    await panel.getByRole('button', { name: '认领' }).click();
    await panel.getByRole('button', { name: '取消认领' }).waitFor();
    await hp.getByTestId('more-moves').click();
    await hp.getByRole('menuitem', { name: '转办' }).click();
    dialog = hp.getByTestId('move-transfer');
    await pickColleague(hp, dialog, '同事', 'luan.hrss2');
    await dialog.getByLabel('说明').fill('本人外出培训，请代为审批');
    await screenshot(hp, 'office-journey-3-transfer');
    await dialog.getByRole('button', { name: '确定' }).click();
    await hp.getByText('转办成功').waitFor();
    // the task is now the colleague's: held by them in 人社's queue
    row = await queueRow(hp, caseNo, '职工正常退休审批');
    await expect.poll(() => row.textContent()).toContain('人社同事'); // the claimant by name, not login

    // the colleague finds it claimed in their name and approves
    const hrss2 = await signedIn(browser, 'luan.hrss2', /\/tasks$/);
    const h2 = hrss2.page;
    row = await queueRow(h2, caseNo, '职工正常退休审批');
    expect(await row.textContent()).toContain('人社同事');
    await row.getByRole('link', { name: '办理' }).click();
    panel = h2.getByTestId('complete-panel');
    await panel.getByRole('button', { name: '取消认领' }).waitFor();
    await panel.getByText('批准', { exact: true }).click();
    await panel.getByLabel('办理意见').fill('材料齐全，同意退休');
    await panel.getByRole('button', { name: '提交办理结果' }).click();
    await h2.waitForURL(/\/tasks$/);

    // 5. 公积金 claims and 加签 (并行加签) a colleague; the claimant completes first (held) …
    const housing = await signedIn(browser, 'luan.housing-fund', /\/tasks$/);
    const fp = housing.page;
    row = await queueRow(fp, caseNo, '退休职工住房公积金提取');
    await row.getByRole('link', { name: '办理' }).click();
    panel = fp.getByTestId('complete-panel');
    await panel.getByRole('button', { name: '认领' }).click();
    await panel.getByRole('button', { name: '取消认领' }).waitFor();
    await fp.getByTestId('more-moves').click();
    await fp.getByRole('menuitem', { name: '加签' }).click();
    dialog = fp.getByTestId('move-add-signers');
    await pickColleague(fp, dialog, '人员', 'luan.housing2');
    await fp.keyboard.press('Escape');
    await dialog.getByText('并行加签（同时审批）').click();
    await dialog.getByRole('button', { name: '确定' }).click();
    await fp.getByText('加签成功').waitFor();
    await expect.poll(() => fp.getByTestId('task-waiting').textContent()).toContain('并行加签：luan.housing2');
    panel = fp.getByTestId('complete-panel');
    await panel.getByText('办结', { exact: true }).click();
    await text(fp, 'withdrawalAmount', '52300');
    await date(fp, 'creditedOn', '2026-04-10');
    await panel.getByRole('button', { name: '提交办理结果' }).click();
    await fp.waitForURL(/\/tasks$/);
    // … the task waits for the signer: the case is still under way
    const api = await apiAs('luan.housing-fund');
    let view = (await api<CaseView>(`/cases/${caseId}`)).body;
    expect(view.status).toBe('in-progress');
    expect(view.timeline.map((e) => e.action)).toContain('task.held');

    // the signer approves the 加签 sub-task in their queue; the held completion takes the step
    const housing2 = await signedIn(browser, 'luan.housing2', /\/tasks$/);
    const f2 = housing2.page;
    row = await queueRow(f2, caseNo, '加签审批：退休职工住房公积金提取');
    await row.getByRole('link', { name: '办理' }).click();
    await f2.getByTestId('task-waiting').waitFor();
    panel = f2.getByTestId('complete-panel');
    await panel.getByText('批准', { exact: true }).click();
    await panel.getByLabel('办理意见').fill('同意提取');
    await screenshot(f2, 'office-journey-4-countersign');
    await panel.getByRole('button', { name: '提交办理结果' }).click();
    await f2.waitForURL(/\/tasks$/);

    // 6. the citizen sees the case 办结, with every move in its timeline
    await cp.reload();
    await cp.getByTestId('case-status').locator('[data-status="completed"]').waitFor();
    const labels = await timeline(cp);
    expect(labels).toEqual(expect.arrayContaining(['退回申请人补正', '提交补正', '转办', '加签', '加签人同意']));
    // the held completion names its outcome in Chinese, like a completion
    expect(await cp.locator('.lb-timeline .ant-timeline-item', { hasText: '等待加签人审批' }).textContent()).toContain('退休职工住房公积金提取 · 拟办结');
    await screenshot(cp, 'office-journey-5-done');
    // the window follows it to its end in 「我受理的」
    await wp.goto(`${baseUrl()}/counter/cases`);
    await wp.locator(`.lb-followed-table tr[data-case="${caseNo}"] [data-status="completed"]`).waitFor();
    await screenshot(wp, 'office-journey-6-filed-list');

    // and the API agrees: who did what, and the case is the citizen's
    view = (await (await apiAs('luan.lishili'))<CaseView>(`/cases/${caseId}`)).body;
    expect(view.status).toBe('completed');
    expect(view.channel).toBe('window');
    expect(view.data.agentPhone).toBe('13905641234');
    expect(view.data.unitName).toBe('六安示例机械制造有限公司');
    const byName = (name: string) => view.tasks.filter((t) => t.name === name);
    expect(byName('职工正常退休审批').map((t) => [t.state, t.completedBy, t.outcome])).toEqual([['done', 'luan.hrss2', 'approved']]);
    expect(byName('退休职工住房公积金提取').map((t) => [t.state, t.completedBy, t.outcome])).toEqual([['done', 'luan.housing-fund', 'done']]);
    expect(byName('加签审批：退休职工住房公积金提取').map((t) => [t.state, t.completedBy, t.outcome])).toEqual([['done', 'luan.housing2', 'approved']]);
    expect(view.tasks.every((t) => t.state === 'done' || t.state === 'cancelled')).toBe(true);
    const actions = view.timeline.map((e) => e.action);
    for (const a of ['case.filed-at-window', 'case.correction-requested', 'case.resubmitted', 'task.reopened', 'task.transferred', 'task.signers-added', 'task.held', 'countersign.approved']) expect(actions).toContain(a);
    expect(actions.indexOf('case.filed-at-window')).toBeLessThan(actions.indexOf('case.correction-requested'));
    expect(actions.indexOf('task.transferred')).toBeLessThan(actions.indexOf('task.signers-added'));
    expect(view.timeline.find((e) => e.action === 'task.transferred')!.actor).toBe('luan.hrss');
    expect([...window.errors, ...hrss.errors, ...citizen.errors, ...hrss2.errors, ...housing.errors, ...housing2.errors]).toEqual([]);
  }, 420_000); // a long journey on a loaded 2-core machine
});
