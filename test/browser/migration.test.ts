/**
 * 「迁移运行中的办件」 in the designer (issue #21): 常州's administrator publishes a version with an
 * added 受理 step while two cases run on the old one; the matter editor shows the panel, the
 * preview table (case no., now, after, problems) and the preview on the old and the new diagram
 * (markers and badges on the elements, for all cases and for the clicked row), and migrates the
 * chosen cases; a later version renaming the step the cases stand on marks it red.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, demoPassword, newPage, openBrowser, screenshot, SCREEN } from './page';
import { designerSignIn } from './journey.helpers';

const KEY = 'migration-demo';
const example = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../templates/changzhou/forms/changzhou-retirement.example.json'), 'utf8')) as Record<string, unknown>;

async function session(username: string) {
  const res = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword() }) });
  expect(res.status, `login ${username}`).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async <T = Record<string, unknown>>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl()}/api/v1${url}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await r.json().catch(() => null);
    expect(r.status, `${method} ${url}: ${JSON.stringify(json)}`).toBeLessThan(300);
    return json as T;
  };
}

async function signIn(page: Page, username: string) {
  await designerSignIn(page, username, demoPassword(), '/designer/admin');
  await page.getByRole('heading', { name: /城市管理/ }).waitFor();
}

/** The diagram element `id` on one side of the preview (`before`: the old version, `after`: the new one). */
const element = (page: Page, side: 'before' | 'after', id: string) => page.locator(`[data-side="${side}"] g.djs-element[data-element-id="${id}"]`);
const badges = (page: Page, side: 'before' | 'after', id: string) => page.locator(`[data-side="${side}"] .lb-mig-badges[data-element-id="${id}"]`);

describe('migrating running cases in the designer', () => {
  let browser: Browser;
  let cases: { id: string; no: string }[] = [];
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should preview the running cases of the old version as a table and migrate the chosen ones', async () => {
    // given: a copy of the 常州 matter with two running cases on version 1, and version 2 adding 受理
    const admin = await session('changzhou.admin');
    const matter = await admin<{ draft: { forms: unknown[]; linkedItems: unknown[] } }>('GET', '/admin/matters/changzhou-retirement');
    const flow = await admin<{ draft: { xml: string } }>('GET', '/admin/flows/changzhou-retirement');
    await admin('PUT', `/admin/flows/${KEY}`, { title: '迁移演示流程', xml: flow.draft.xml });
    await admin('PUT', `/admin/matters/${KEY}`, { title: '迁移演示事项', forms: matter.draft.forms, flow: KEY, linkedItems: matter.draft.linkedItems });
    const v1 = (await admin<{ version: number }>('POST', `/admin/matters/${KEY}/publish`)).version;
    const applicant = await session('changzhou.applicant');
    const data = { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    cases = [
      await applicant<{ id: string; no: string }>('POST', '/cases', { matter: KEY, form: 'changzhou-retirement', data }),
      await applicant<{ id: string; no: string }>('POST', '/cases', { matter: KEY, form: 'changzhou-retirement', data }),
    ];
    await admin('PUT', `/admin/flows/${KEY}`, {
      title: '迁移演示流程',
      xml: flow.draft.xml.replace('<bpmn:sequenceFlow id="Flow_pushed" sourceRef="Push_requests" targetRef="Task_approval" />',
        '<bpmn:sequenceFlow id="Flow_pushed" sourceRef="Push_requests" targetRef="Task_accept" /><bpmn:userTask id="Task_accept" name="受理" lb:candidateGroups="hrss" /><bpmn:sequenceFlow id="Flow_accepted" sourceRef="Task_accept" targetRef="Task_approval" />')
        // drawn on the diagram too (below the line), so the modeler shows it
        .replace('</bpmndi:BPMNPlane>', '<bpmndi:BPMNShape id="Task_accept_di" bpmnElement="Task_accept"><dc:Bounds x="230" y="380" width="100" height="80" /></bpmndi:BPMNShape>'
          + '<bpmndi:BPMNEdge id="Flow_accepted_di" bpmnElement="Flow_accepted"><di:waypoint x="330" y="420" /><di:waypoint x="350" y="340" /></bpmndi:BPMNEdge></bpmndi:BPMNPlane>'),
    });
    const v2 = (await admin<{ version: number }>('POST', `/admin/matters/${KEY}/publish`)).version;
    expect(v2).toBe(v1 + 1);

    // when: the administrator opens the matter and asks for the preview
    const { page, errors } = await newPage(browser, SCREEN.office);
    await signIn(page, 'changzhou.admin');
    await page.goto(`${baseUrl()}/designer/matters/${KEY}`);
    const panel = page.getByTestId('migration-panel');
    await panel.getByText('迁移运行中的办件').waitFor();
    await panel.getByRole('combobox', { name: '原版本' }).waitFor();
    await panel.getByRole('button', { name: '预览' }).click();
    for (const c of cases) await panel.getByRole('cell', { name: new RegExp(`^${c.no}`) }).waitFor();

    // then: one row per case, where it stands now and after (企业职工退休审批 at 人社), no problem
    const rows = panel.locator('.ant-table-tbody tr.ant-table-row');
    expect(await rows.count()).toBe(2);
    expect(await panel.getByText('可迁移').count()).toBe(2);
    expect(await rows.first().locator('td').nth(2).innerText()).toContain('企业职工退休审批');
    expect(await rows.first().locator('td').nth(3).innerText()).toContain('企业职工退休审批');
    const departments = await admin<{ key: string; name: string }[]>('GET', '/admin/departments');
    const hrss = departments.find((d) => d.key === 'hrss')!.name;
    expect(await rows.first().locator('td').nth(3).innerText()).toContain(hrss); // the department by its name
    expect(await rows.first().locator('td').nth(3).innerText()).not.toMatch(/\bhrss\b/);

    // and: the diagrams, all cases: both stand on 企业职工退休审批 now (old version) and after (new version)
    const diagram = panel.getByTestId('migration-diagram');
    await diagram.and(page.locator('[data-state="ready"]')).waitFor();
    await expect.poll(() => element(page, 'before', 'Task_approval').getAttribute('class')).toContain('lb-mig-now');
    expect(await element(page, 'after', 'Task_approval').getAttribute('class')).toContain('lb-mig-after');
    expect(await badges(page, 'before', 'Task_approval').innerText()).toBe('2 件');
    expect(await badges(page, 'after', 'Task_approval').innerText()).toBe('2 件');
    expect(await element(page, 'after', 'Task_accept').count()).toBe(1); // the added step is drawn, no case on it
    expect(await element(page, 'after', 'Task_accept').getAttribute('class')).not.toContain('lb-mig-after');
    expect(await element(page, 'before', 'Task_accept').count()).toBe(0);
    expect(await diagram.locator('.lb-mig-problem').count()).toBe(0);
    expect(await badges(page, 'after', 'Task_approval').locator('.lb-mig-badge').getAttribute('title')).toContain(hrss);
    await diagram.getByText('办件现在所在的环节（原版本）').waitFor();

    // when: clicking the first case's row, the diagrams show that case alone
    const firstNo = (await rows.first().locator('td').nth(1).innerText()).split('\n')[0]!;
    await rows.first().locator('td').nth(1).click();
    await diagram.and(page.locator(`[data-case="${cases.find((c) => c.no === firstNo)!.id}"]`)).waitFor();
    await diagram.getByText(`办件 ${firstNo}`).waitFor();
    expect(await badges(page, 'before', 'Task_approval').innerText()).toBe('现在');
    expect(await badges(page, 'after', 'Task_approval').innerText()).toBe('迁移后');
    expect(await badges(page, 'after', 'Task_approval').locator('.lb-mig-badge').getAttribute('title')).toContain(`企业职工退休审批：迁移后在此\n企业职工退休审批 · ${hrss}`);
    expect(await rows.first().getAttribute('class')).toContain('lb-mig-row-focus');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'designer-migration-preview');
    await panel.getByRole('button', { name: '在流程图上显示全部办件' }).click();
    await diagram.and(page.locator('[data-case="all"]')).waitFor();

    // when: migrating the chosen cases
    await panel.getByRole('button', { name: /迁移所选办件（2）/ }).click();
    await panel.getByText('已迁移 2 件').waitFor();
    await screenshot(page, 'designer-migration-result');
    for (const c of cases) expect((await admin<{ version: number }>('GET', `/cases/${c.id}`)).version).toBe(v2);
    expect(errors).toEqual([]);
  });

  it('should mark red the step the cases stand on when the next version renames it without a mapping', async () => {
    // given: version 3 renames 企业职工退休审批 (Task_approval → Task_review); the two cases stand on it in version 2
    expect(cases).toHaveLength(2);
    const admin = await session('changzhou.admin');
    const flow = await admin<{ draft: { xml: string } }>('GET', `/admin/flows/${KEY}`);
    await admin('PUT', `/admin/flows/${KEY}`, { title: '迁移演示流程', xml: flow.draft.xml.replace(/"Task_approval"/g, '"Task_review"') });
    await admin('POST', `/admin/matters/${KEY}/publish`);

    // when: previewing version 2 → 3
    const { page, errors } = await newPage(browser, SCREEN.office);
    await signIn(page, 'changzhou.admin');
    await page.goto(`${baseUrl()}/designer/matters/${KEY}`);
    const panel = page.getByTestId('migration-panel');
    await panel.getByRole('combobox', { name: '原版本' }).waitFor();
    await panel.getByRole('button', { name: '预览' }).click();
    const diagram = panel.getByTestId('migration-diagram');
    await diagram.and(page.locator('[data-state="ready"]')).waitFor();

    // then: the old step is red on the old diagram with the problem, no case can move, the new step has no case
    await expect.poll(() => element(page, 'before', 'Task_approval').getAttribute('class')).toContain('lb-mig-problem');
    expect(await element(page, 'before', 'Task_approval').getAttribute('class')).toContain('lb-mig-now');
    expect(await badges(page, 'before', 'Task_approval').innerText()).toContain('2 件有问题');
    expect(await badges(page, 'before', 'Task_approval').locator('.lb-mig-badge-problem').getAttribute('title')).toContain('在新版本中不存在');
    expect(await element(page, 'after', 'Task_review').getAttribute('class')).not.toContain('lb-mig-after');
    expect(await diagram.getByRole('list', { name: '问题' }).innerText()).toContain('企业职工退休审批');
    expect(await panel.getByText('可迁移').count()).toBe(0);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'designer-migration-problems');
    expect(errors).toEqual([]);
  });
});
