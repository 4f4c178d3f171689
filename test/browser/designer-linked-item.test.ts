/**
 * "Added without code" end to end: 六安's administrator, in the designer only, creates the
 * department 失业保险 and a staff account for it, adds the linked item 失业保险金停发 to the
 * luan-retirement matter with the wizard (opt-in field in the forms, branch in the flow) and
 * publishes. A case submitted afterwards with the item ticked reaches the new department's
 * staff; a case started before the publish keeps running on the old version without the step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';
import { completionBody, designerSignIn } from './journey.helpers';

const example = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../templates/luan/forms/luan-retirement-unit.example.json'), 'utf8')) as Record<string, unknown>;
const STAFF = { username: 'luan.unemployment', password: 'Unemployment-2026' };

interface Task { id: string; caseId: string; name: string; department: string; linkedItem?: string }

/** A signed-in API session (cookie), like supertest's agent. */
class Session {
  private constructor(private cookie: string) {}
  static async login(username: string, password = demoPassword()): Promise<Session> {
    const res = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    expect(res.status, `login ${username}`).toBe(200);
    return new Session(res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '));
  }
  async call<T = unknown>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${baseUrl()}/api/v1${url}`, {
      method, headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as T };
  }
  get<T>(url: string) { return this.call<T>('GET', url); }
  post<T>(url: string, body: unknown = {}) { return this.call<T>('POST', url, body); }
}

/** Completes the open task of `caseId` that `staff` can see (optionally only a named one). */
async function completeTask(staff: Session, caseId: string, outcome: string, linkedItem?: string): Promise<Task> {
  const { body: tasks } = await staff.get<Task[]>('/tasks?state=open');
  const task = tasks.find((t) => t.caseId === caseId && (linkedItem === undefined || t.linkedItem === linkedItem));
  expect(task, `open task of ${caseId}${linkedItem ? ` for ${linkedItem}` : ''}`).toBeDefined();
  const done = await staff.post(`/tasks/${task!.id}/complete`, completionBody(task!.name, outcome));
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return task!;
}

async function signIn(page: Page, username: string) {
  await designerSignIn(page, username, demoPassword(), '/designer/admin');
  await page.getByRole('heading', { name: /城市管理/ }).waitFor();
}

/** Picks `option` in the antd Select named `label` (by its aria-label) inside `scope`. */
async function pick(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

describe('designer: a new linked item without code', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should add 失业保险金停发 with the wizard, publish, route new cases to 失业保险 and keep running cases on their version', async () => {
    // given: the published matter and a case started before any change
    const admin = await Session.login('luan.admin');
    const before = await admin.get<{ versions: Array<{ version: number }> }>('/admin/matters/luan-retirement');
    const oldVersion = before.body.versions.at(-1)!.version;
    const applicant = await Session.login('luan.applicant');
    const caseA = await applicant.post<{ id: string; no: string }>('/cases', { matter: 'luan-retirement', form: 'luan-retirement-unit', data: example });
    expect(caseA.status, JSON.stringify(caseA.body)).toBe(201);

    const { page, errors } = await newPage(browser, SCREEN.office);
    // when: the administrator signs in (the designer sends a signed-out visitor to the sign-in page)
    await signIn(page, 'luan.admin');

    // … creates the department 失业保险
    await page.getByRole('button', { name: '新建部门' }).click();
    const deptModal = page.locator('.ant-modal:visible');
    await deptModal.getByLabel('部门名称').fill('失业保险');
    expect(await deptModal.getByLabel('部门标识').inputValue()).toBe('unemployment');
    await deptModal.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: '失业保险', exact: true }).waitFor();

    // … and a staff account for it
    await page.getByRole('tab', { name: '账户' }).click();
    await page.getByRole('button', { name: '新建账户' }).click();
    const userModal = page.locator('.ant-modal:visible');
    await userModal.getByLabel('账户').fill(STAFF.username);
    await userModal.getByLabel('姓名').fill('吴示例');
    await pick(page, '所属部门', '失业保险（unemployment）');
    await userModal.getByLabel('初始密码').fill(STAFF.password);
    await userModal.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: STAFF.username, exact: true }).waitFor();

    // … opens the matter and runs the wizard
    await page.getByRole('menuitem', { name: '事项' }).click();
    await page.getByRole('link', { name: /企业职工退休/ }).click();
    await page.waitForFunction(() => !!window.__lianbanMatterModeler, undefined, { timeout: 60_000 });
    await page.locator('[data-element-id="Split"]').waitFor();
    await page.getByRole('button', { name: '添加关联事项' }).click();
    const wizard = page.locator('.ant-modal:visible');
    await wizard.getByLabel('关联事项名称').fill('失业保险金停发');
    expect(await wizard.getByLabel('事项标识').inputValue()).toBe('unemployment-benefit-stop');
    await wizard.getByRole('button', { name: '下一步' }).click();
    await pick(page, '办理部门', '失业保险（unemployment）');
    await wizard.getByRole('button', { name: '下一步' }).click();
    await wizard.getByRole('button', { name: '添加材料' }).click();
    await wizard.getByLabel('材料1名称').fill('失业保险金停发申请');
    await screenshot(page, 'designer-wizard-materials');
    await wizard.getByRole('button', { name: '下一步' }).click();
    await wizard.getByTestId('wizard-summary').waitFor();
    await screenshot(page, 'designer-wizard-summary');
    await wizard.getByRole('button', { name: '添加到事项' }).click();
    await page.getByTestId('wizard-result').waitFor();

    // then: the branch is in the modeler, selected, with our lb: attributes
    const branch = await page.evaluate(() => {
      const modeler = window.__lianbanMatterModeler!.modeler;
      const registry = modeler.get<{ getAll(): Array<{ id: string; type: string; businessObject: { name?: string; get(n: string): unknown; conditionExpression?: { body: string } }; incoming: Array<{ source: { id: string }; businessObject: { conditionExpression?: { body: string } } }>; outgoing: Array<{ target: { id: string } }> }> }>('elementRegistry');
      const task = registry.getAll().find((e) => e.businessObject.get?.('lb:linkedItem') === 'unemployment-benefit-stop')!;
      const selected = modeler.get<{ get(): Array<{ id: string }> }>('selection').get().map((e) => e.id);
      return {
        name: task.businessObject.name, groups: task.businessObject.get('lb:candidateGroups'), outcomes: task.businessObject.get('lb:outcomes'),
        itemStatus: task.businessObject.get('lb:outcomeItemStatus'), from: task.incoming[0]!.source.id, to: task.outgoing[0]!.target.id,
        condition: task.incoming[0]!.businessObject.conditionExpression?.body, selected: selected.includes(task.id),
      };
    });
    expect(branch).toEqual({ name: '失业保险金停发', groups: 'unemployment', outcomes: 'done,not-eligible', itemStatus: 'not-eligible=standalone', from: 'Split', to: 'Join', condition: 'unemploymentBenefitStop = true', selected: true });
    await page.getByTestId('wizard-form-preview').locator('.lb-section-title', { hasText: '失业保险金停发' }).waitFor();
    await page.locator('.ant-modal-mask').first().waitFor({ state: 'hidden' });
    expect(await page.getByTestId('modeler-panel').getByText('失业保险金停发').count()).toBeGreaterThan(0);
    await screenshot(page, 'designer-matter-after-wizard');
    await page.locator('[data-element-id="Split"]').scrollIntoViewIfNeeded();
    await page.getByTestId('modeler-canvas').screenshot({ path: path.resolve(import.meta.dirname, '../../test-results/screenshots/designer-modeler-new-branch.png') });

    // when: publishing
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.getByText(`已发布第 ${oldVersion + 1} 版`, { exact: true }).waitFor();

    // and the new opt-in opens in the form designer, selected, with its live preview
    await page.getByTestId('wizard-result').getByRole('link', { name: /单位代办.*unemploymentBenefitStop/ }).click();
    await page.getByTestId('form-canvas').waitFor();
    const selectedCard = page.locator('.lb-fd-card.is-selected');
    expect(await selectedCard.getAttribute('data-path')).toBe('services/itemUnemploymentBenefitStop/unemploymentBenefitStop');
    expect(await page.getByTestId('property-panel').getByLabel('标题').inputValue()).toBe('需要办理');
    expect(await page.getByTestId('form-problems-summary').textContent()).toBe('检查通过');
    await screenshot(page, 'designer-form-designer');
    // the author's mark and note stay the author's: the preview shows only the help after the mark
    await page.getByRole('tab', { name: '设计' }).click();
    const props = page.getByTestId('property-panel');
    await props.getByLabel('说明', { exact: true }).fill('系统补充项：已领取失业保险金的填写');
    await props.getByLabel('设计备注').fill('印刷表无此项，由实施方案补充');
    await page.getByRole('tab', { name: '预览' }).click();
    const preview = page.getByTestId('form-preview');
    await preview.getByText('已领取失业保险金的填写').waitFor();
    expect(await preview.textContent()).not.toMatch(/系统补充项：已领取|印刷表无此项/);
    await page.getByRole('tab', { name: '设计' }).click();
    // a palette click adds a field next to the selection; undo takes it away again
    const cards = await page.locator('.lb-fd-card').count();
    await page.getByTestId('form-palette').getByRole('button', { name: '单行文本' }).click();
    await expect.poll(() => page.locator('.lb-fd-card').count()).toBe(cards + 1);
    await page.getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => page.locator('.lb-fd-card').count()).toBe(cards);
    await page.getByRole('tab', { name: '预览' }).click();
    await page.getByTestId('form-preview').locator('.lb-section-title', { hasText: '失业保险金停发' }).waitFor();
    await screenshot(page, 'designer-form-preview');

    // then: the draft saved by the wizard is what was published
    const published = await admin.get<{ version: number; forms: Array<{ key: string; schema: unknown }>; linkedItems: Array<{ key: string; department: string }>; flow: { xml: string } }>('/matters/luan-retirement');
    expect(published.body.version).toBe(oldVersion + 1);
    expect(published.body.linkedItems).toContainEqual(expect.objectContaining({ key: 'unemployment-benefit-stop', department: 'unemployment' }));
    // on every application form, and on no task form (the 公积金/医保 result sheets are filled by staff)
    for (const form of published.body.forms) {
      const taskForm = published.body.flow.xml.includes(`lb:formKey="${form.key}"`);
      expect(JSON.stringify(form.schema).includes('"x-linked-item":"unemployment-benefit-stop"'), form.key).toBe(!taskForm);
    }
    expect(published.body.flow.xml).toContain('lb:linkedItem="unemployment-benefit-stop"');

    // when: an applicant submits with the new item ticked
    const caseB = await applicant.post<{ id: string }>('/cases', {
      matter: 'luan-retirement', form: 'luan-retirement-unit',
      data: { ...example, unemploymentBenefitStop: true, unemploymentBenefitStopMaterials: [{ name: '失业保险金停发申请.pdf', material: 'm1' }] },
    });
    expect(caseB.status, JSON.stringify(caseB.body)).toBe(201);
    const windowClerk = await Session.login('luan.window');
    const hrss = await Session.login('luan.hrss');
    const medical = await Session.login('luan.medical');
    const housing = await Session.login('luan.housing-fund');
    const staff = await Session.login(STAFF.username, STAFF.password);
    for (const id of [caseA.body.id, caseB.body.id]) {
      await completeTask(windowClerk, id, 'accept');
      await completeTask(hrss, id, 'approved');
      await completeTask(medical, id, 'done');
      await completeTask(housing, id, 'done');
    }
    // then: the new department's staff sees the new case's task, and completes it
    const task = await completeTask(staff, caseB.body.id, 'done', 'unemployment-benefit-stop');
    expect(task.name).toBe('失业保险金停发');
    expect(task.department).toBe('unemployment');
    const b = await admin.get<{ status: string; version: number; items: Array<{ key: string; status: string }> }>(`/cases/${caseB.body.id}`);
    expect(b.body.version).toBe(oldVersion + 1);
    expect(b.body.status).toBe('completed');
    expect(b.body.items).toContainEqual(expect.objectContaining({ key: 'unemployment-benefit-stop', status: 'done' }));

    // and the case started before the publish finished on the old version, never reaching 失业保险
    const a = await admin.get<{ status: string; version: number; items: Array<{ key: string }> }>(`/cases/${caseA.body.id}`);
    expect(a.body.status).toBe('completed');
    expect(a.body.version).toBe(oldVersion);
    expect(a.body.items.map((i) => i.key)).not.toContain('unemployment-benefit-stop');
    const staffTasks = await staff.get<Task[]>('/tasks?state=all');
    expect(staffTasks.body.filter((t) => t.caseId === caseA.body.id)).toEqual([]);
    expect(staffTasks.body.map((t) => t.caseId)).toEqual([caseB.body.id]);
    expect(errors).toEqual([]);
  });
});
