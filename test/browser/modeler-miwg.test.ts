/**
 * The 21 BPMN MIWG reference models (shared/conformance/miwg, beside the repo) imported into
 * the real modeler in Chromium, saved, and compared semantically in Node with bpmn-moddle:
 * every element, attribute and DI bound/waypoint must survive (test/designer/bpmn-compare.ts).
 * The saved XML is imported a second time to prove the modeler reads its own output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { countTypes, diffBpmn } from '../designer/bpmn-compare';
import { baseUrl, newPage, openBrowser } from './page';

const miwgDir = path.resolve(import.meta.dirname, '../../../shared/conformance/miwg');
const models = fs.readdirSync(miwgDir).filter((f) => f.endsWith('.bpmn')).sort();

/** Imports `xml` into the page's modeler and returns what it saves. */
async function roundTrip(page: Page, xml: string): Promise<{ saved: string; warnings: string[] }> {
  return page.evaluate(async (source) => {
    const api = window.__lianbanModeler!;
    const { warnings } = await api.setXML(source);
    return { saved: await api.getXML(), warnings };
  }, xml);
}

describe('MIWG reference models round-trip through the modeler', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await openBrowser();
    ({ page, errors } = await newPage(browser));
    await page.goto(`${baseUrl()}/designer/flows/miwg`);
    await page.waitForFunction(() => !!window.__lianbanModeler, undefined, { timeout: 30_000 });
  });
  afterAll(async () => { await browser?.close(); });

  it('should find all 21 reference models', () => {
    expect(models).toHaveLength(21);
  });

  it.each(models)('should import, save and re-import %s without losing anything', async (file) => {
    // given
    const xml = fs.readFileSync(path.join(miwgDir, file), 'utf8');
    // when
    const first = await roundTrip(page, xml);
    const second = await roundTrip(page, first.saved);
    // then: nothing lost or changed, on the first save and on re-import of the saved file
    // (joined to one string so a failure prints every difference)
    expect((await diffBpmn(xml, first.saved)).join('\n')).toBe('');
    expect((await diffBpmn(first.saved, second.saved)).join('\n')).toBe('');
    const shapes = (await countTypes(first.saved))['bpmndi:BPMNShape'] ?? 0;
    expect(shapes).toBeGreaterThan(0);
    // and the canvas shows the diagram's shapes
    expect(await page.locator('.djs-element.djs-shape').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
