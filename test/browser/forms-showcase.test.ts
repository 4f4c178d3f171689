import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { showcaseInvalidCases, showcaseValidPayload } from '@lianban/runtime';
import { baseUrl, newPage, openBrowser, screenshot, SCREEN } from './page';

const cell = (page: Page, path: string) => page.locator(`.lb-cell[data-path="${path}"]`);
const errorPaths = async (page: Page) =>
  (await page.locator('[data-testid="validation-result"] li[data-path]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')!))).sort();

async function openShowcase(page: Page) {
  await page.goto(baseUrl() + '/showcase');
  await page.getByRole('heading', { name: '表单组件展示' }).waitFor();
  await page.locator('.lb-form').waitFor();
}

async function yesNo(page: Page, path: string, answer: '是' | '否') {
  await cell(page, path).getByText(answer, { exact: true }).click();
}

describe('forms showcase (/showcase)', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('should show and hide fields by their rules', async () => {
    // given
    const { page, errors } = await newPage(browser, SCREEN.office);
    await openShowcase(page);
    expect(await cell(page, 'communityRegion').count()).toBe(0);
    expect(await cell(page, 'onlyChildCertificateFile').count()).toBe(0);
    // when
    await yesNo(page, 'socialManagement', '是');
    await yesNo(page, 'hasOnlyChildCertificate', '是');
    // then: shown, and required (the asterisk) while shown
    await cell(page, 'communityRegion').waitFor();
    expect(await cell(page, 'communityRegion').locator('.lb-required').count()).toBe(1);
    await cell(page, 'onlyChildCertificateFile').waitFor();
    await expect.poll(() => page.getByText('独生子女父母光荣证', { exact: true }).count()).toBeGreaterThan(0);
    // when answered 否 again, they disappear
    await yesNo(page, 'socialManagement', '否');
    await cell(page, 'communityRegion').waitFor({ state: 'detached' });
    // checkbox → required-when: early-retirement materials become visible and required once ticked
    await cell(page, 'services').getByText('职工提前退休(退职)').click();
    await cell(page, 'earlyMaterials').locator('.lb-required').waitFor();
    await cell(page, 'specialWorkYears').waitFor();
    // all + eq on a help note: shown only for 因病退职 with a paper certificate requested
    const note = page.getByText('因病退职人员不发放退休证', { exact: false });
    await cell(page, 'retireType').getByText('因病退职', { exact: true }).click();
    expect(await note.count()).toBe(0);
    await yesNo(page, 'printCertificate', '是');
    await note.waitFor();
    // in: 因病退职 shows the appraisal upload
    await cell(page, 'illnessAppraisal').waitFor();
    await screenshot(page, 'forms-showcase-linkage');
    expect(errors).toEqual([]);
  });

  it('should compute birth date, gender and statutory retirement age from the ID number', async () => {
    const { page, errors } = await newPage(browser, SCREEN.office);
    await openShowcase(page);
    // when
    await cell(page, 'idNumber').locator('input').fill('32040219700520002X');
    await cell(page, 'identity').getByText('干部', { exact: true }).click();
    // then: female cadre (f55) born 1970-05 → 55岁2个月
    await expect.poll(() => cell(page, 'idNumber').locator('[data-derived]').textContent()).toBe('出生日期 1970-05-20 · 性别 女');
    await expect.poll(() => cell(page, 'statutoryAge').locator('[data-computed]').textContent()).toBe('55岁2个月');
    expect(await cell(page, 'gender').locator('[data-computed]').textContent()).toBe('女');
    expect(await cell(page, 'birthMonth').locator('[data-computed]').textContent()).toBe('1970-05');
    // when 本人身份 changes to 工人 on a 非管理技术岗位, the category becomes f50 → 50岁
    await cell(page, 'identity').getByText('工人', { exact: true }).click();
    await cell(page, 'postNature').getByText('非管理技术岗位', { exact: true }).click();
    await expect.poll(() => cell(page, 'statutoryAge').locator('[data-computed]').textContent()).toBe('50岁');
    await screenshot(page, 'forms-showcase-computed');
    expect(errors).toEqual([]);
  });

  it('should reject an invalid ID number with a Chinese message', async () => {
    const { page, errors } = await newPage(browser, SCREEN.office);
    await openShowcase(page);
    // when
    await cell(page, 'idNumber').locator('input').fill('341502196501150038');
    await cell(page, 'idNumber').locator('input').press('Tab');
    // then: rejected as soon as the field is left
    await cell(page, 'idNumber').locator('.lb-error').waitFor();
    expect(await cell(page, 'idNumber').locator('.lb-error').textContent()).toBe('身份证号码校验位不正确，请核对');
    // and by the full check
    await page.getByRole('button', { name: '校验' }).click();
    // then
    const item = page.locator('[data-testid="validation-result"] li[data-path="idNumber"]');
    await item.waitFor();
    expect(await item.textContent()).toContain('身份证号码校验位不正确');
    expect(await cell(page, 'idNumber').locator('.lb-error').textContent()).toBe('身份证号码校验位不正确，请核对');
    expect(await cell(page, 'statutoryAge').locator('[data-computed]').textContent()).toBe('填写身份证号码等后自动计算');
    await screenshot(page, 'forms-showcase-invalid-id');
    expect(errors).toEqual([]);
  });

  it('should report the same paths as the server validator for the shared invalid submissions', async () => {
    const { page, errors } = await newPage(browser, SCREEN.office);
    await openShowcase(page);
    for (const c of showcaseInvalidCases) {
      // given
      await page.evaluate((v) => window.__lianbanShowcase!.setValues(v), JSON.parse(JSON.stringify(c.payload)));
      // when
      await page.getByRole('button', { name: '校验' }).click();
      // then
      await page.locator('[data-testid="validation-result"]').waitFor();
      expect(await errorPaths(page), c.name).toEqual([...c.paths].sort());
    }
    await screenshot(page, 'forms-showcase-errors');
    // and the valid submission passes
    await page.evaluate((v) => window.__lianbanShowcase!.setValues(v), showcaseValidPayload);
    await page.getByRole('button', { name: '校验' }).click();
    await page.getByText('校验通过：可以提交').waitFor();
    expect(errors).toEqual([]);
  });

  it('should pick a region down to the community level with lazily loaded levels', async () => {
    const { page, errors } = await newPage(browser, SCREEN.office);
    await openShowcase(page);
    await yesNo(page, 'socialManagement', '是');
    await cell(page, 'communityRegion').locator('.ant-select').click();
    for (const name of ['江苏省', '常州市', '天宁区', '雕庄街道', '朝阳花园社区居委会']) {
      await page.locator('.ant-cascader-menu-item', { hasText: name }).first().click();
    }
    await expect.poll(() => page.evaluate(() => (window.__lianbanShowcase!.values().communityRegion as string[] | undefined)?.length)).toBe(5);
    const region = await page.evaluate(() => window.__lianbanShowcase!.values().communityRegion as string[]);
    expect(region).toEqual(['32', '3204', '320402', '320402001', '320402001001']);
    expect(errors).toEqual([]);
  });

  it('should lay the filled form out read-only for printing, and fit a phone', async () => {
    const { page, errors } = await newPage(browser, SCREEN.office);
    await openShowcase(page);
    await page.evaluate((v) => window.__lianbanShowcase!.setValues(v), { ...showcaseValidPayload, socialManagement: true, communityRegion: ['32', '3204', '320402', '320402001', '320402001001'] });
    await page.getByRole('button', { name: '只读 / 打印预览' }).click();
    await page.getByRole('button', { name: '打印' }).waitFor();
    expect(await page.locator('.lb-readonly').count()).toBe(1);
    expect(await page.locator('.lb-form input').count()).toBe(0);
    expect(await page.locator('.lb-print-note').textContent()).toContain('此表一式三份');
    await expect.poll(() => cell(page, 'communityRegion').textContent()).toContain('天宁区');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'forms-showcase-print');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    const phone = await newPage(browser, SCREEN.phone);
    await openShowcase(phone.page);
    // on a phone a table's row is a card: its inputs take the screen's width, each under its column's title
    await cell(phone.page, 'workHistory').getByRole('button', { name: '添加一行' }).click();
    const firstRow = cell(phone.page, 'workHistory').locator('tbody tr').first();
    const inputs = await firstRow.locator('input').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    expect(inputs.length).toBeGreaterThan(1);
    for (const width of inputs) expect(width).toBeGreaterThan(250);
    await screenshot(phone.page, 'forms-showcase-phone');
    expect([...errors, ...phone.errors]).toEqual([]);
  });
  it('should lay a long form out in the same places as the grid (wrapping lines instead of grid tracks)', async () => {
    // Forms over 150 fields (lb-long) lay their cells out as wrapping flex lines, so a field shown
    // or hidden does not re-place every cell (forms.css). The showcase form has every kind of
    // grid child: spans 1–4, sections with grids of their own, notes, table rows.
    for (const care of [false, true]) {
      const { page, errors } = await newPage(browser, SCREEN.office);
      if (care) await page.context().addInitScript(() => localStorage.setItem('lianban.care', '1'));
      await openShowcase(page);
      await yesNo(page, 'socialManagement', '是');
      await cell(page, 'communityRegion').waitFor();
      // Off-screen cells of long forms skip layout (content-visibility): laid out here, to compare every box.
      await page.addStyleTag({ content: '.lb-cell { content-visibility: visible !important; }' });
      const boxes = () => page.locator('.lb-grid > *:not([hidden])').evaluateAll((els) => els.map((e) => {
        const r = e.getBoundingClientRect();
        return { path: e.getAttribute('data-path') ?? e.className, x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height) };
      }));
      const asGrid = await boxes();
      expect(await page.locator('.lb-grid').first().evaluate((e) => getComputedStyle(e).display)).toBe('grid');
      // when
      await page.locator('form.lb-form').evaluate((f) => f.classList.add('lb-long'));
      // then
      expect(await page.locator('.lb-grid').first().evaluate((e) => getComputedStyle(e).display)).toBe('flex');
      expect(asGrid.length).toBeGreaterThan(30);
      expect(await boxes()).toEqual(asGrid);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });
});
