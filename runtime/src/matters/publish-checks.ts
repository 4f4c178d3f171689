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
import type { Definition } from '../engine/types';
import { formFields } from './form-fields';
import { formSchemaProblems } from './form-checks';
import type { MatterShape, PublishProblem } from './types';

/** Variables the engine itself provides to conditions. */
export const ENGINE_VARIABLES: ReadonlySet<string> = new Set(['outcome', 'items', 'loopCounter', 'now', 'today']);

/** What `checkMatter` is given: the matter draft and the forms, flow and department keys of its city. */
export interface MatterCheckInput {
  matter: Pick<MatterShape, 'forms' | 'flow' | 'linkedItems'>;
  forms: { key: string; schema: unknown }[];
  /** The matter's flow, or null when the city has none of that key. */
  flow: { key: string; xml: string } | null;
  departments: string[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Flow ↔ city ↔ form problems of a deployed flow: unknown departments, conditions on missing fields. */
export function flowChecks(definition: Definition, departments: ReadonlySet<string>, fieldKeys: ReadonlySet<string>): PublishProblem[] {
  const problems: PublishProblem[] = [];
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
  for (const item of input.matter.linkedItems) {
    if (!definition.linkedItems.includes(item.key)) problems.push({ field: `linkedItems.${item.key}`, message: `流程中没有处理关联事项「${item.title}」的分支或环节（lb:linkedItem="${item.key}"）` });
  }
  return { problems, flowHash: definition.hash };
}
