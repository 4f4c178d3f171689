/**
 * The checks a matter passes before it is published (issue: "publish validates"):
 * - each form exists and follows our schema conventions;
 * - the flow exists and deploys without problems (the engine names the element);
 * - form ↔ flow ↔ matter consistency: every `x-linked-item` of a form is a linked item of the
 *   matter with a branch in the flow and a department that exists; every department the flow
 *   routes to exists; every condition reads only fields the forms have (or engine variables).
 * Problems are `{element?, field?, message}` so the designer can take the user to the culprit.
 */
import { deploy, type Definition } from '@lianban/runtime';
import type { FlowDefDoc, FormDefDoc, MatterDefDoc } from '../models/definitions';

export interface PublishProblem { element?: string; field?: string; message: string }

/** Variables the engine itself provides to conditions. */
const ENGINE_VARIABLES = new Set(['outcome', 'items', 'loopCounter', 'now', 'today']);

interface SchemaNode { properties?: Record<string, SchemaNode>; items?: SchemaNode; type?: string; 'x-linked-item'?: string | { id: string } }

/** The linked-item key an opt-in field marks (API.md: a string key). */
export function linkedItemKey(node: SchemaNode): string | undefined {
  const mark = node['x-linked-item'];
  return typeof mark === 'string' ? mark : mark?.id;
}

/** Every field key of a form (nested sections included) and its linked-item opt-ins. */
export function formFields(schema: SchemaNode): { keys: Set<string>; linkedItems: Map<string, string> } {
  const keys = new Set<string>();
  const linkedItems = new Map<string, string>();
  const walk = (node: SchemaNode | undefined) => {
    for (const [key, child] of Object.entries(node?.properties ?? {})) {
      // Sections (type void) group fields but are no data key of their own.
      if (child.type !== 'void') keys.add(key);
      const item = linkedItemKey(child);
      if (item) linkedItems.set(item, key);
      walk(child);
      walk(child.items);
    }
  };
  walk(schema);
  return { keys, linkedItems };
}

function flowChecks(definition: Definition, departments: Set<string>, fieldKeys: Set<string>): PublishProblem[] {
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
      const isFunction = new RegExp(`(^|[^\\w])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\(`).test(flow.condition.expr);
      if (!isFunction && !declared.has(name) && !fieldKeys.has(name)) {
        problems.push({ element: flow.id, message: `条件「${flow.condition.expr}」引用的字段「${name}」在表单中不存在` });
      }
    }
  }
  return problems;
}

export async function checkMatter(input: {
  matter: Pick<MatterDefDoc, 'forms' | 'flow' | 'linkedItems'>;
  forms: Pick<FormDefDoc, 'key' | 'schema'>[];
  flow: Pick<FlowDefDoc, 'key' | 'xml'> | null;
  departments: string[];
}): Promise<{ problems: PublishProblem[]; flowHash?: string }> {
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
    const { keys, linkedItems } = formFields(form.schema as SchemaNode);
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
