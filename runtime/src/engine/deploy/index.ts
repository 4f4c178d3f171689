/**
 * deploy(xml) → { definition?, problems }: parses BPMN 2.0 XML with bpmn-moddle (plus our `lb:`
 * extension), compiles the one executable process into a plain JSON `Definition`, and refuses
 * what the engine cannot run with problems that name the element. Never throws.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { compileFeel } from '../feel';
import { hashString } from '../hash';
import { lianbanModdle } from '../moddle';
import type { CompiledElement, CompiledFlow, Definition, DeployResult, ElementType, Problem } from '../types';
import { readLbAttrs } from './attrs';
import { ELEMENT_COMPILERS, INERT_ELEMENTS, type CompileContext } from './elements';
import { computeInclusiveUpstream } from './graph';
import { shortType, type ModdleElement } from './moddle-types';
import { validate } from './validate';

interface Compiled {
  elements: Record<string, CompiledElement>;
  flows: Record<string, CompiledFlow>;
}

/**
 * Parses and compiles a BPMN document. `problems` is empty exactly when `definition` is set.
 * @param xml BPMN 2.0 XML, with `lb:` attributes in namespace http://lianban.gov.cn/schema/bpmn
 */
export async function deploy(xml: string): Promise<DeployResult> {
  if (typeof xml !== 'string' || !xml.trim()) return { problems: [{ code: 'empty', message: '流程定义为空' }] };
  let root: ModdleElement;
  const problems: Problem[] = [];
  try {
    const moddle = new BpmnModdle({ lb: lianbanModdle });
    const parsed = await moddle.fromXML(xml, 'bpmn:Definitions');
    root = parsed.rootElement as unknown as ModdleElement;
    for (const w of parsed.warnings as Array<{ message: string; element?: ModdleElement }>) {
      // Unresolved references break the graph; other warnings (unknown foreign elements) are harmless.
      if (/unresolved reference/.test(w.message)) {
        const id = w.element?.id;
        problems.push({ ...(id ? { element: id } : {}), code: 'unresolved-reference', message: `${id ? `元素 ${id} 的` : ''}引用无法解析：${w.message.split('\n')[0]}` });
      }
    }
  } catch (e) {
    return { problems: [{ code: 'unparsable', message: `无法解析 BPMN XML：${(e as Error).message.split('\n')[0]}` }] };
  }

  const process = pickProcess(root, problems);
  if (!process) return { problems };

  const compiled: Compiled = { elements: {}, flows: {} };
  compileContainer(process, null, compiled, problems);
  if (problems.length) return { problems };

  const starts = validate(compiled.elements, compiled.flows, problems);
  if (problems.length) return { problems };
  computeInclusiveUpstream(compiled.elements, compiled.flows);

  const linkedItems = new Set<string>();
  for (const x of [...Object.values(compiled.elements), ...Object.values(compiled.flows)]) {
    const key = 'lb' in x ? x.lb.linkedItem : x.linkedItem;
    if (key) linkedItems.add(key);
  }
  const body = {
    format: 1 as const,
    processId: process.id,
    ...(process.name ? { name: process.name } : {}),
    elements: compiled.elements,
    flows: compiled.flows,
    starts,
    linkedItems: [...linkedItems].sort(),
  };
  // Hash the compiled form, not the XML: moving shapes in the designer is not a new version.
  const definition: Definition = { ...body, hash: hashString(JSON.stringify(body)) };
  return { definition, problems: [] };
}

function pickProcess(root: ModdleElement, problems: Problem[]): ModdleElement | undefined {
  const processes = ((root.rootElements as ModdleElement[] | undefined) ?? []).filter((r) => r.$type === 'bpmn:Process');
  const withNodes = processes.filter((p) => ((p.flowElements as unknown[] | undefined) ?? []).length > 0);
  const executable = withNodes.filter((p) => p.isExecutable === true);
  const candidates = executable.length ? executable : withNodes;
  if (candidates.length === 1) return candidates[0];
  if (!candidates.length) problems.push({ code: 'no-process', message: '文档中没有包含流程元素的流程（process）' });
  else {
    for (const p of candidates) {
      problems.push({ element: p.id, type: p.$type, code: 'multiple-processes', message: `文档包含多个可执行流程，只能有一个：${candidates.map((c) => c.id).join('、')}` });
    }
  }
  return undefined;
}

function compileContainer(container: ModdleElement, parent: string | null, out: Compiled, problems: Problem[]): void {
  const ctx: CompileContext = { problems, topLevel: parent === null };
  const children = (container.flowElements as ModdleElement[] | undefined) ?? [];
  for (const fe of children) {
    if (INERT_ELEMENTS.has(fe.$type)) continue;
    if (fe.$type === 'bpmn:SequenceFlow') {
      compileFlow(fe, out, problems);
      continue;
    }
    const type = shortType(fe.$type) as ElementType;
    const compiler = ELEMENT_COMPILERS[type];
    if (!compiler) {
      problems.push({ element: fe.id, type: fe.$type, code: 'unsupported-element', message: `不支持的元素类型：${fe.id}（${fe.$type}）` });
      continue;
    }
    const el: CompiledElement = { id: fe.id, type, parent, incoming: [], outgoing: [], lb: readLbAttrs(fe, problems) };
    if (fe.name) el.name = fe.name;
    const dflt = fe.default as ModdleElement | undefined;
    if (dflt) el.default = dflt.id;
    compiler(fe, el, ctx);
    out.elements[fe.id] = el;
    if (type === 'subProcess') compileContainer(fe, fe.id, out, problems);
  }
}

function compileFlow(fe: ModdleElement, out: Compiled, problems: Problem[]): void {
  const source = (fe.sourceRef as ModdleElement | undefined)?.id;
  const target = (fe.targetRef as ModdleElement | undefined)?.id;
  if (!source || !target) {
    problems.push({ element: fe.id, type: fe.$type, code: 'dangling-flow', message: `顺序流 ${fe.id} 缺少起点或终点` });
    return;
  }
  const flow: CompiledFlow = { id: fe.id, source, target };
  if (fe.name) flow.name = fe.name;
  const cond = fe.conditionExpression as ModdleElement | undefined;
  const text = (cond?.body as string | undefined)?.trim();
  if (cond && text) {
    // Without xsi:type the body is a plain bpmn:Expression and `language` lands in $attrs.
    const language = (cond.language as string | undefined) ?? cond.$attrs?.language;
    if (language && !language.toLowerCase().includes('feel')) {
      problems.push({ element: fe.id, type: fe.$type, code: 'unsupported-language', message: `顺序流 ${fe.id} 的条件语言「${language}」不受支持，请使用 FEEL` });
    } else {
      const c = compileFeel(text);
      if ('error' in c) problems.push({ element: fe.id, type: fe.$type, code: 'feel-syntax', message: `顺序流 ${fe.id} 的条件「${text}」有语法错误：${c.error}` });
      else flow.condition = c.expr;
    }
  }
  const lb = readLbAttrs(fe, problems);
  if (lb.itemStatus) flow.itemStatus = lb.itemStatus;
  if (lb.linkedItem) flow.linkedItem = lb.linkedItem;
  out.flows[fe.id] = flow;
}
