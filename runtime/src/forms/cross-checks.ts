/**
 * Rules across fields, checked after the per-field checks (validate/plan.ts, browser and
 * server alike): 「二者必选其一」 (`x-one-of`), eligibility (`x-eligibility`, forms/eligibility.ts)
 * and materials required by the answers (`x-materials[].requiredWhen`). Each gives errors on
 * the field that carries it, with a stable code and a Chinese message.
 *
 *   const checks = compileCrossChecks(schema);
 *   checks.run(get, hasError, isHidden, config)   // [{path: 'retirementEarly', code: 'one-of', message: '…二者必选其一'}]
 */
import type { RetirementConfig } from '../rules/index';
import { conditionFields, evaluateCondition, conditionShapeProblem } from './conditions';
import { ELIGIBILITY_RULES, runEligibility } from './eligibility';
import type { EligibilityRule, FieldError, FieldSchema, OneOfRule } from './types';
import { walkSchema, type SchemaNode } from './walk';

const MAX_ONE_OF = 20;
const MAX_ELIGIBILITY = 5;
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The eligibility rules of a field as a list (one object or a list of them). */
export function eligibilityRules(s: FieldSchema): EligibilityRule[] {
  const e = s['x-eligibility'];
  return e === undefined ? [] : Array.isArray(e) ? e : [e];
}

/** The label of a field in a message: its title, or its section's when the title is shared (六安's 「需要办理」). */
function labelsOf(fields: string[], nodes: Map<string, SchemaNode>): string[] {
  const titles = fields.map((f) => nodes.get(f)?.schema.title ?? f);
  return fields.map((f, i) => {
    const n = nodes.get(f);
    const shared = titles.filter((t) => t === titles[i]).length > 1;
    return (shared ? n?.section?.schema.title : undefined) ?? titles[i]!;
  });
}

/** The default 「二者必选其一」 message of a one-of rule. */
export function oneOfMessage(rule: OneOfRule, labels: string[], tooMany: boolean): string {
  if (rule.message) return rule.message;
  const names = labels.map((l) => `「${l}」`).join(labels.length === 2 ? '与' : '、');
  const n = labels.length === 2 ? '二者' : `${labels.length}项`;
  return tooMany ? `${names}${n}只能选择其一` : rule.mode === 'atLeast' ? `${names}${n}至少选择一项` : `${names}${n}必选其一`;
}

interface Compiled {
  run(get: (path: string) => unknown, hasError: (path: string) => boolean, isHidden: (path: string) => boolean, config: RetirementConfig): FieldError[];
}

/** Compiles the cross-field rules of a schema (top-level fields; rows columns cannot carry them). */
export function compileCrossChecks(schema: FieldSchema): Compiled {
  const nodes = walkSchema(schema).filter((n) => n.keyed && !n.rows);
  const byPath = new Map(nodes.map((n) => [n.path, n]));
  const oneOf = nodes.filter((n) => n.schema['x-one-of']).map((n) => {
    const rule = n.schema['x-one-of']!;
    return { path: n.path, rule, labels: labelsOf(rule.fields, byPath) };
  });
  const eligibility = nodes.flatMap((n) => eligibilityRules(n.schema).map((rule) => ({
    path: n.path,
    rule,
    reads: [...Object.values(rule.from).filter((a): a is string => typeof a === 'string')],
  })));
  const materials = nodes.filter((n) => n.schema['x-field-type'] === 'upload')
    .flatMap((n) => (n.schema['x-materials'] ?? []).filter((m) => m.requiredWhen).map((m) => ({ path: n.path, spec: m })));
  return {
    run(get, hasError, isHidden, config) {
      const errors: FieldError[] = [];
      for (const c of oneOf) {
        if (isHidden(c.path) || hasError(c.path)) continue;
        const yes = c.rule.fields.filter((f) => get(f) === true).length;
        const tooMany = (c.rule.mode ?? 'exactly') === 'exactly' && yes > 1;
        if (yes === 0 || tooMany) errors.push({ path: c.path, code: 'one-of', message: oneOfMessage(c.rule, c.labels, tooMany) });
      }
      for (const c of eligibility) {
        if (isHidden(c.path) || hasError(c.path) || c.reads.some(hasError)) continue;
        if (c.rule.when && !evaluateCondition(c.rule.when, get)) continue;
        const args: Record<string, unknown> = {};
        for (const [param, arg] of Object.entries(c.rule.from)) args[param] = typeof arg === 'string' ? get(arg) : arg.value;
        for (const p of runEligibility(c.rule.rule, args, config)) errors.push({ path: c.path, ...p });
      }
      for (const c of materials) {
        if (isHidden(c.path) || hasError(c.path) || !evaluateCondition(c.spec.requiredWhen!, get)) continue;
        const value = get(c.path);
        const entries = Array.isArray(value) ? (value as { material?: unknown }[]) : [];
        if (!entries.some((e) => e?.material === c.spec.code)) errors.push({ path: c.path, code: 'material-required', message: `请提交${c.spec.name}` });
      }
      return errors;
    },
  };
}

/** Shape problems of a node's cross-field rules, for the schema checker: [key, code, message]. */
export function crossCheckProblems(n: SchemaNode, topLevel: (p: string) => boolean, fieldTypeOf: (p: string) => string | undefined): [string, string, string][] {
  const out: [string, string, string][] = [];
  const s = n.schema;
  const one = s['x-one-of'] as unknown;
  if (one !== undefined) {
    const o = one as Partial<OneOfRule>;
    if (typeof one !== 'object' || one === null || !Array.isArray(o.fields) || o.fields.length < 2 || o.fields.length > MAX_ONE_OF || o.fields.some((f) => typeof f !== 'string')
      || (o.mode !== undefined && o.mode !== 'exactly' && o.mode !== 'atLeast') || (o.message !== undefined && typeof o.message !== 'string')) {
      out.push(['x-one-of', 'rule-bad-shape', `x-one-of 应为 {fields: [2–${MAX_ONE_OF} 个字段], mode?: "exactly" | "atLeast", message?}`]);
    } else {
      if (n.rows || !n.keyed) out.push(['x-one-of', 'rule-not-applicable', '“必选其一”只能设在明细表以外填写数据的字段上']);
      for (const f of o.fields) {
        if (!topLevel(f)) out.push(['x-one-of', 'rule-missing-field', `“必选其一”引用的「${f}」不是明细表以外的字段`]);
        else if (fieldTypeOf(f) !== 'yesNo') out.push(['x-one-of', 'rule-not-applicable', `“必选其一”只能用于“是否”字段，「${f}」不是`]);
      }
    }
  }
  const e = s['x-eligibility'] as unknown;
  if (e !== undefined) {
    const rules = Array.isArray(e) ? e : [e];
    if (rules.length === 0 || rules.length > MAX_ELIGIBILITY) out.push(['x-eligibility', 'rule-bad-shape', `x-eligibility 应为 1–${MAX_ELIGIBILITY} 条规则`]);
    if (n.rows || !n.keyed) out.push(['x-eligibility', 'rule-not-applicable', '资格规则只能设在明细表以外填写数据的字段上']);
    rules.slice(0, MAX_ELIGIBILITY).forEach((r: unknown, i) => {
      const at = Array.isArray(e) ? `x-eligibility.${i}` : 'x-eligibility';
      const rule = r as Partial<EligibilityRule> | null;
      const name = typeof rule === 'object' && rule !== null ? rule.rule : undefined;
      const fn = typeof name === 'string' && hasOwn(ELIGIBILITY_RULES, name) ? ELIGIBILITY_RULES[name] : undefined;
      if (!fn) { out.push([at, 'unknown-eligibility', `资格规则「${String(name ?? r)}」不存在，请从资格规则列表中选择`]); return; }
      const from = (typeof rule!.from === 'object' && rule!.from !== null ? rule!.from : {}) as Record<string, unknown>;
      for (const [param, spec] of Object.entries(fn.params)) {
        if (spec.required && from[param] === undefined) out.push([`${at}.from.${param}`, 'compute-missing-param', `资格规则「${fn.label}」需要参数「${param}」（${spec.label}）`]);
      }
      for (const [param, arg] of Object.entries(from)) {
        if (!hasOwn(fn.params, param)) out.push([`${at}.from.${param}`, 'compute-unknown-param', `资格规则「${fn.label}」没有参数「${param}」`]);
        else if (typeof arg === 'string' && !topLevel(arg)) out.push([`${at}.from.${param}`, 'rule-missing-field', `资格规则引用的「${arg}」不是明细表以外的字段`]);
        else if (typeof arg !== 'string' && !(typeof arg === 'object' && arg !== null && 'value' in arg)) out.push([`${at}.from.${param}`, 'rule-bad-shape', '参数应为字段路径或 {value}']);
      }
      if (rule!.when !== undefined) {
        const shape = conditionShapeProblem(rule!.when);
        if (shape) out.push([`${at}.when`, 'rule-bad-shape', shape]);
        else for (const f of conditionFields(rule!.when)) if (!topLevel(f)) out.push([`${at}.when`, 'rule-missing-field', `条件引用的「${f}」不是明细表以外的字段`]);
      }
    });
  }
  (s['x-materials'] ?? []).forEach((m, i) => {
    if (m?.requiredWhen === undefined) return;
    const shape = conditionShapeProblem(m.requiredWhen);
    if (shape) out.push([`x-materials.${i}.requiredWhen`, 'rule-bad-shape', shape]);
    else for (const f of conditionFields(m.requiredWhen)) if (!topLevel(f)) out.push([`x-materials.${i}.requiredWhen`, 'rule-missing-field', `条件引用的「${f}」不是明细表以外的字段`]);
  });
  return out;
}
