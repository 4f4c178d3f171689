/**
 * The `translate` service in Chinese: overrides diagram-js' translate with the zh-CN table
 * (./zh-CN). Lint messages from our rules are Chinese already and pass through unchanged.
 * Keys without a translation are collected so a test can prove the UI has none left:
 *
 *   modeler.get('translate')('Create task')              // '创建任务'
 *   untranslated()                                        // English keys seen but not in the table
 */
import { ZH_CN } from './zh-CN';

const missing = new Set<string>();
const HAS_CJK = /[\u4e00-\u9fff]/;

/** diagram-js' translate contract: template + `{name}` replacements. */
export function translate(template: string, replacements: Record<string, unknown> = {}): string {
  let text = ZH_CN[template];
  if (text === undefined) {
    text = template;
    // Chinese texts (our own rules' messages) need no table entry.
    if (!HAS_CJK.test(template)) missing.add(template);
  }
  return text.replace(/{([^}]+)}/g, (whole, key: string) => (key in replacements ? String(replacements[key]) : whole));
}

/** English templates the UI asked for that have no Chinese yet (sorted). */
export function untranslated(): string[] {
  return [...missing].sort();
}

export default {
  translate: ['value', translate],
};
