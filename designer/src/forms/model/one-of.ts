/**
 * The 「二者必选其一」 editor's model: which yes/no fields a one-of rule (`x-one-of`, runtime
 * `OneOfRule`) may name, the rule from the editor's picks and back, and its reading for badges.
 *
 *   oneOfCandidates(fields)                                   // the yes/no fields outside rows
 *   toOneOf({ fields: ['a', 'b'], mode: 'exactly' })          // OneOfRule, or undefined under 2 fields
 *   describeOneOf(rule, fields)                               // 「正常退休」与「提前退休」二者必选其一
 */
import type { EligibilityRule, FieldSchema, OneOfRule } from '@lianban/runtime';
import type { RuleField } from './rules';

export interface OneOfPicks { fields: string[]; mode: 'exactly' | 'atLeast'; message?: string }

export const ONE_OF_MODES: Record<OneOfPicks['mode'], string> = { exactly: '必选且只能选其一', atLeast: '至少选择一项' };

/** Fields a one-of rule may name: yes/no fields outside rows (the publish check refuses others). */
export function oneOfCandidates(fields: RuleField[]): RuleField[] {
  return fields.filter((f) => f.type === 'yesNo');
}

/** The editor's picks of a rule (none: the carrying field alone, 必选其一). */
export function oneOfPicks(rule: OneOfRule | undefined, self: string): OneOfPicks {
  return rule ? { fields: [...rule.fields], mode: rule.mode ?? 'exactly', ...(rule.message ? { message: rule.message } : {}) } : { fields: [self], mode: 'exactly' };
}

/** The rule of the picks: fields unique, in pick order; undefined (no rule) under two fields. */
export function toOneOf(picks: OneOfPicks): OneOfRule | undefined {
  const fields = [...new Set(picks.fields.filter(Boolean))];
  if (fields.length < 2) return undefined;
  const message = picks.message?.trim();
  return { fields, mode: picks.mode, ...(message ? { message } : {}) };
}

/** A short Chinese reading of the rule, e.g. 「职工正常退休」与「职工提前退休(退职)」二者必选其一. */
export function describeOneOf(rule: OneOfRule | undefined, fields: RuleField[]): string {
  if (!rule) return '';
  if (rule.message) return rule.message;
  const names = rule.fields.map((k) => `「${fields.find((f) => f.key === k)?.label.replace(/（[^（]*）$/, '') ?? k}」`);
  const n = names.length === 2 ? '二者' : `${names.length}项`;
  return `${names.join(names.length === 2 ? '与' : '、')}${n}${rule.mode === 'atLeast' ? '至少选择一项' : '必选其一'}`;
}

/** A node's one-of and eligibility rules with field `from` renamed to `to` (FormDocument.rename). */
export function renameInCrossChecks(node: FieldSchema, from: string, to: string): void {
  const one = node['x-one-of'];
  if (one && Array.isArray(one.fields)) node['x-one-of'] = { ...one, fields: one.fields.map((f) => (f === from ? to : f)) };
  const e = node['x-eligibility'];
  if (e) {
    const fix = (r: EligibilityRule): EligibilityRule => ({ ...r, from: Object.fromEntries(Object.entries(r.from ?? {}).map(([p, a]) => [p, a === from ? to : a])) });
    node['x-eligibility'] = Array.isArray(e) ? e.map(fix) : fix(e);
  }
}
