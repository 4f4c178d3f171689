/**
 * Accessibility checks with axe-core in the page: `expectNoSeriousViolations(page, label)` fails
 * with every serious or critical violation listed (rule id, impact, help and the offending
 * elements), so a failure says what to fix without re-running anything.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export interface AxeOptions {
  /** CSS selectors to leave out, each with a reason at the call site. */
  exclude?: string[];
}

/** The serious and critical violations on the page, one line per offending element. */
export async function seriousViolations(page: Page, options: AxeOptions = {}): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`));
}

export async function expectNoSeriousViolations(page: Page, label: string, options: AxeOptions = {}): Promise<void> {
  const found = await seriousViolations(page, options);
  expect(found, `axe on ${label}:\n${found.join('\n')}`).toEqual([]);
}
