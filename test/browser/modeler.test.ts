/**
 * The flow modeler page in Chromium against the real server: Chinese UI, the lb: properties
 * panel (department select, condition picker), lint overlays from our rules, token simulation,
 * .bpmn import (file picker) and export (download) with the lb: attributes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { BpmnModdle } from 'bpmn-moddle';
import { lianbanModdle } from '@lianban/runtime';
import { baseUrl, newPage, openBrowser, screenshot, SCREEN } from './page';

const fixture = path.resolve(import.meta.dirname, '../designer/fixtures/gateway.bpmn');
const CJK = /[\u4e00-\u9fff]/;

/** Opens the modeler page and waits for the modeler API. */
export async function openModeler(page: Page, key = 'demo'): Promise<void> {
  await page.goto(`${baseUrl()}/designer/flows/${key}`);
  await page.waitForFunction(() => !!window.__lianbanModeler, undefined, { timeout: 30_000 });
}

/** Clicks the middle of a straight connection (its SVG box may be zero-wide, so no locator click). */
async function clickConnection(page: Page, id: string): Promise<void> {
  const box = (await page.locator(`[data-element-id="${id}"]`).boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

async function lintMessages(page: Page, id: string): Promise<string[]> {
  return page.evaluate(async (elementId) => {
    const issues = await window.__lianbanModeler!.lint();
    return issues.filter((i) => i.id === elementId).map((i) => i.message);
  }, id);
}

describe('flow modeler page', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should show palette, context pad, replace menu and properties panel in Chinese', async () => {
    // given
    const { page, errors } = await newPage(browser, SCREEN.office);
    await openModeler(page);
    // then: every palette entry has a Chinese title
    const paletteTitles = await page.locator('.djs-palette .entry[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(paletteTitles.length).toBeGreaterThan(8);
    expect(paletteTitles.filter((t) => !CJK.test(t))).toEqual([]);
    expect(paletteTitles).toContain('创建任务');

    // when: the user task is selected
    await page.locator('[data-element-id="Task_review"]').click();
    // then: context pad and panel speak Chinese, with our lb: groups
    const padTitles = await page.locator('.djs-context-pad .entry').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    expect(padTitles.length).toBeGreaterThan(3);
    expect(padTitles.filter((t) => !CJK.test(t))).toEqual([]);
    const panel = page.locator('.bio-properties-panel');
    await panel.getByText('办理（部门与表单）').waitFor();
    for (const text of ['常规', '名称', '用户任务', '关联事项']) {
      expect(await panel.getByText(text, { exact: true }).count(), text).toBeGreaterThan(0);
    }
    await screenshot(page, 'modeler-user-task-panel');

    // when: the replace menu opens from the context pad
    await page.locator('.djs-context-pad .entry[data-action="replace"]').click();
    const menu = page.locator('.djs-popup');
    await menu.waitFor();
    // then
    const menuTexts = await menu.locator('.entry').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim() || (e.getAttribute('title') ?? '')));
    expect(menuTexts.length).toBeGreaterThan(5);
    expect(menuTexts.filter((t) => !CJK.test(t))).toEqual([]);
    await screenshot(page, 'modeler-replace-menu');
    await page.keyboard.press('Escape');

    // then: nothing the UI asked translate for was left in English
    expect(await page.evaluate(() => window.__lianbanModeler!.untranslated())).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('should set a department and a condition through the panel and export them as lb: XML', async () => {
    // given: the fixture opened through the file picker
    const { page, errors } = await newPage(browser, SCREEN.office);
    await openModeler(page);
    await page.getByTestId('bpmn-file-input').setInputFiles(fixture);
    await page.locator('[data-element-id="Gw"]').waitFor();
    // then: the task without a department is flagged, with a Chinese message and overlay
    expect(await lintMessages(page, 'Task_review')).toContain('用户任务「受理审核」未设置办理部门');
    const overlay = page.locator('.bjsl-overlay[data-container-id="Task_review"], .djs-overlay-container [data-container-id="Task_review"] .bjsl-overlay').first();
    await overlay.waitFor();
    await overlay.hover();
    await page.getByText('用户任务「受理审核」未设置办理部门').first().waitFor();
    // the toolbar counts what the canvas shows, for the file just opened too
    const canvasCount = (await page.locator('.bjsl-button').textContent())!.trim();
    await expect.poll(async () => `${(await page.getByTestId('lint-summary').textContent())!.trim()}`).toBe(canvasCount);
    // signed out on the practice canvas: the header offers to sign in, not to sign out
    expect(await page.locator('.ant-layout-header').getByRole('button').allInnerTexts()).toEqual(['登录']);
    // the overlay's message has no rule id after it
    expect(await page.locator('.bjsl-dropdown .rule').first().isVisible()).toBe(false);
    await screenshot(page, 'modeler-lint-overlay');

    // when: the department is chosen in the panel
    await page.locator('[data-element-id="Task_review"]').click();
    const department = page.locator('select[name="lb-candidateGroups"]');
    await department.waitFor();
    expect(await department.locator('option').allTextContents()).toEqual(expect.arrayContaining(['人力资源和社会保障局', '医疗保障局', '住房公积金管理中心', '卫生健康委员会', '综合受理窗口']));
    await department.selectOption('hrss');
    // then: the lint error is gone
    await expect.poll(() => lintMessages(page, 'Task_review')).toEqual([]);

    // when: the 是 flow gets a condition from the field picker
    await clickConnection(page, 'Flow_yes');
    const picker = page.locator('.lb-condition-picker');
    await picker.waitFor();
    await picker.getByLabel('表单字段').selectOption('onlyChildCertificate');
    await picker.getByLabel('字段取值').selectOption('是');
    await picker.getByRole('button', { name: '插入' }).click();
    // then
    const condition = page.locator('[name="lb-condition"]');
    await expect.poll(() => condition.inputValue()).toBe('onlyChildCertificate = "是"');
    await screenshot(page, 'modeler-condition-picker');

    // when: exported through the download button
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 .bpmn 文件' }).click()]);
    const xml = fs.readFileSync((await download.path())!, 'utf8');
    // then: the lb: attributes and the condition are in the file
    expect(download.suggestedFilename()).toBe('demo.bpmn');
    const { elementsById } = await new BpmnModdle({ lb: lianbanModdle }).fromXML(xml, 'bpmn:Definitions');
    const byId = elementsById as Record<string, any>;
    expect(byId.Task_review.get('lb:candidateGroups')).toBe('hrss');
    expect(byId.Task_health.get('lb:candidateGroups')).toBe('health');
    expect(byId.End.get('lb:caseResult')).toBe('completed');
    expect(byId.Flow_yes.conditionExpression.body).toBe('onlyChildCertificate = "是"');
    expect(xml).toContain('xmlns:lb="http://lianban.gov.cn/schema/bpmn"');
    expect(errors).toEqual([]);
  });

  it('should switch token simulation on and off with a Chinese toggle', async () => {
    const { page, errors } = await newPage(browser, SCREEN.office);
    await openModeler(page);
    const toggle = page.locator('.bts-toggle-mode');
    expect((await toggle.textContent())?.trim()).toBe('流程模拟');
    await page.getByRole('button', { name: '流程模拟' }).click();
    await page.locator('.simulation').first().waitFor();
    expect((await toggle.textContent())?.trim()).toBe('流程模拟');
    await screenshot(page, 'modeler-simulation');
    await page.getByRole('button', { name: '退出流程模拟' }).click();
    expect(await page.locator('.simulation').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
