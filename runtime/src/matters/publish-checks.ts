/**
 * The checks a matter passes before it is published (issue: "publish validates"):
 * - each form exists;
 * - the flow exists and deploys without problems (the engine names the element);
 * - form ↔ flow ↔ matter consistency: every `x-linked-item` of a form is a linked item of the
 *   matter with a branch in the flow and a department that exists; every department the flow
 *   routes to exists; every condition reads only fields the forms have (or engine variables).
 * Pure (the caller loads forms, flow and departments), so the server refuses a publish and the
 * designer can warn about the same problems while editing.
 *
 *   const { problems, flowHash } = await checkMatter({ matter, forms, flow, departments });
 */
import { deploy } from '../engine/deploy/index';
import { evalFeel, feelBudgetProblem } from '../engine/feel';
import type { Definition, FeelExpr } from '../engine/types';
import { flowShapeChecks } from './flow-shape-checks';
import { formFields } from './form-fields';
import { formSchemaProblems } from './form-checks';
import type { MatterShape, PublishProblem } from './types';
import { timeLimitProblems } from './deadlines';

/** Variables the engine itself provides to conditions. */
export const ENGINE_VARIABLES: ReadonlySet<string> = new Set(['outcome', 'items', 'loopCounter', 'now', 'today']);

/** What `checkMatter` is given: the matter draft and the forms, flow and department keys of its city. */
export interface MatterCheckInput {
  matter: Pick<MatterShape, 'forms' | 'flow' | 'linkedItems' | 'timeLimit'>;
  forms: { key: string; schema: unknown; example?: Record<string, unknown> }[];
  /** The matter's flow, or null when the city has none of that key. */
  flow: { key: string; xml: string } | null;
  departments: string[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Flow ↔ city ↔ form problems of a deployed flow: unknown departments, conditions on missing fields. */
export function flowChecks(definition: Definition, departments: ReadonlySet<string>, fieldKeys: ReadonlySet<string>): PublishProblem[] {
  const problems: PublishProblem[] = flowShapeChecks(definition);
  const declared = new Set<string>(ENGINE_VARIABLES);
  for (const el of Object.values(definition.elements)) {
    if (el.lb.outcomeVariable) declared.add(el.lb.outcomeVariable);
    if (el.mi?.elementVariable) declared.add(el.mi.elementVariable);
    for (const group of [...(el.lb.candidateGroups ?? []), ...(el.lb.department ? [el.lb.department] : [])]) {
      if (group !== 'applicant' && !departments.has(group)) {
        problems.push({ element: el.id, message: `「${el.name ?? el.id}」指定的部门「${group}」不存在，请先在城市管理中添加该部门` });
      }
    }
  }
  for (const flow of Object.values(definition.flows)) {
    if (!flow.condition) continue;
    for (const name of flow.condition.vars) {
      // A name followed by `(` is a FEEL function, not a variable.
      const isFunction = new RegExp(`(^|[^\\w])${escapeRegExp(name)}\\s*\\(`).test(flow.condition.expr);
      if (!isFunction && !declared.has(name) && !fieldKeys.has(name)) {
        problems.push({ element: flow.id, message: `条件「${flow.condition.expr}」引用的字段「${name}」在表单中不存在` });
      }
    }
  }
  return problems;
}

/** Every FEEL expression of a deployed flow with the element or flow it belongs to. */
function feelExpressions(definition: Definition): { element: string; fe: FeelExpr }[] {
  const out: { element: string; fe: FeelExpr }[] = [];
  for (const el of Object.values(definition.elements)) {
    for (const fe of [el.lb.candidateGroupsExpr, el.lb.payload, el.mi?.completionCondition]) if (fe) out.push({ element: el.id, fe });
  }
  for (const f of Object.values(definition.flows)) if (f.condition) out.push({ element: f.id, fe: f.condition });
  return out;
}

/**
 * FEEL budget problems (issue 17): what can be refused statically (huge or non-constant ranges,
 * nested iteration, function definitions), then each expression run once on `example` (the
 * forms' example submission, or every field null) — one that spends its budget is refused.
 */
export function feelChecks(definition: Definition, example: Record<string, unknown>): PublishProblem[] {
  const problems: PublishProblem[] = [];
  for (const { element, fe } of feelExpressions(definition)) {
    const refused = feelBudgetProblem(fe.expr);
    if (refused) {
      problems.push({ element, message: `表达式「${fe.expr.slice(0, 80)}」超出表达式预算：${refused}` });
      continue;
    }
    const r = evalFeel(fe, example, new Date().toISOString());
    if ('error' in r && r.error.startsWith('超出表达式预算')) problems.push({ element, message: `表达式「${fe.expr.slice(0, 80)}」在示例数据上${r.error}` });
  }
  return problems;
}

/**
 * Every reason the matter may not be published (empty: it may), and the hash of its deployed
 * flow when the flow deploys.
 */
export async function checkMatter(input: MatterCheckInput): Promise<{ problems: PublishProblem[]; flowHash?: string }> {
  const problems: PublishProblem[] = [];
  const departments = new Set(input.departments);
  const fieldKeys = new Set<string>();
  const optIns = new Map<string, string>();
  if (input.matter.forms.length === 0) problems.push({ message: '事项至少需要一张申请表' });
  for (const ref of input.matter.forms) {
    const form = input.forms.find((f) => f.key === ref.key);
    if (!form) {
      problems.push({ field: `forms.${ref.key}`, message: `表单「${ref.key}」不存在` });
      continue;
    }
    problems.push(...formSchemaProblems(ref.key, form.schema));
    const { keys, linkedItems } = formFields(form.schema as Parameters<typeof formFields>[0]);
    keys.forEach((k) => fieldKeys.add(k));
    linkedItems.forEach((field, item) => optIns.set(item, field));
  }
  const items = new Map(input.matter.linkedItems.map((i) => [i.key, i]));
  for (const item of input.matter.linkedItems) {
    if (!departments.has(item.department)) problems.push({ field: `linkedItems.${item.key}.department`, message: `关联事项「${item.title}」的部门「${item.department}」不存在` });
    if (!item.mandatory && !optIns.has(item.key)) problems.push({ field: `linkedItems.${item.key}`, message: `可选关联事项「${item.title}」在申请表中没有勾选字段（x-linked-item）` });
  }
  problems.push(...timeLimitProblems(input.matter));
  for (const [item, field] of optIns) {
    if (!items.has(item)) problems.push({ field, message: `字段「${field}」标记的关联事项「${item}」不在本事项的关联事项中` });
  }
  if (!input.flow) {
    problems.push({ message: `流程「${input.matter.flow}」不存在` });
    return { problems };
  }
  const { definition, problems: deployProblems } = await deploy(input.flow.xml);
  problems.push(...deployProblems.map((p) => ({ ...(p.element ? { element: p.element } : {}), message: p.message })));
  if (!definition) return { problems };
  problems.push(...flowChecks(definition, departments, fieldKeys));
  const example: Record<string, unknown> = Object.fromEntries([...fieldKeys].map((k) => [k, null]));
  for (const ref of input.matter.forms) Object.assign(example, input.forms.find((f) => f.key === ref.key)?.example ?? {});
  problems.push(...feelChecks(definition, example));
  for (const item of input.matter.linkedItems) {
    if (!definition.linkedItems.includes(item.key)) problems.push({ field: `linkedItems.${item.key}`, message: `流程中没有处理关联事项「${item.title}」的分支或环节（lb:linkedItem="${item.key}"）` });
  }
  return { problems, flowHash: definition.hash };
}
