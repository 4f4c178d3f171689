/**
 * Provincial templates (省级模板) and the cities' matters derived from them: the three-way diff of
 * a template version a city derived from (`base`), the template now (`theirs`) and the city's
 * matter (`ours`), and the application of the changes the city's administrator accepts.
 * Pure (no server, no database); the flow XML is parsed and written with bpmn-moddle, as deploy does.
 *
 *   const changes = await templateDiff(base, theirs, ours);              // TemplateChange[]
 *   const { bundle, skipped } = await applyTemplateChanges(ours, theirs, changes, ['field:f/name#title']);
 *
 * Units (a change's `path`, which is also its id):
 * - `matter#title|timeLimit|minAuthLevel|contact`   matter settings
 * - `form:<key>` (added/removed), `form:<key>#title|refTitle`
 * - `field:<form>/<a>/<b>` (added/removed, with its children), `field:<form>/<a>#<property>` (title, type,
 *   required, x-component-props, validation keys … each its own unit); `[]` steps into an array's items
 * - `item:<key>` (added/removed), `item:<key>#<property>` (title, department, materials, timeLimit …)
 * - `flow:<id>` (an element or sequence flow added/removed), `flow:<id>#<property>` (name, lb:candidateGroups,
 *   lb:department, condition, source, target, default, events, loop, documentation …)
 * A change is a conflict when the city changed the same unit differently (or removed what the
 * template changed, or added the same id otherwise). Conflicts are applied only when the caller
 * says so (`resolve: 'theirs'`); otherwise they are skipped and reported, never applied silently.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-moddle ships no types: its element trees are read and rewritten loosely here */
import { BpmnModdle } from 'bpmn-moddle';
import { lianbanModdle, LB_ATTRIBUTES } from '../engine/moddle';
import type { MatterShape } from './types';

/** What a matter is with everything it needs: the shape, its forms and its flow. */
export interface TemplateBundle {
  title: string;
  matter: MatterShape;
  forms: { key: string; title: string; schema: Record<string, unknown> }[];
  flow: { key: string; title?: string; xml: string };
}

export type TemplateUnit = 'matter' | 'form' | 'field' | 'item' | 'flow';

export interface TemplateChange {
  /** Stable id of the change: its path. */
  id: string;
  unit: TemplateUnit;
  path: string;
  kind: 'added' | 'removed' | 'changed';
  base?: unknown;
  theirs?: unknown;
  ours?: unknown;
  /** The city changed the same unit differently: applied only with `resolve: 'theirs'`. */
  conflict: boolean;
}

export interface TemplateMergeResult {
  bundle: TemplateBundle;
  applied: string[];
  skipped: { id: string; reason: string }[];
}

/** Bounds on the work: a matter larger than this is refused by the caller's limits long before. */
const MAX_ENTITIES = 5000;
const MAX_DEPTH = 12;

interface Entity {
  props: Record<string, unknown>;
  /** Entity id of the container (a field's section, a flow element's sub-process), when not the root. */
  parent?: string;
}
type Entities = Map<string, Entity>;

/** JSON with sorted keys, for comparing values. */
function canon(v: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) return '"…"';
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.slice(0, MAX_ENTITIES).map((x) => canon(x, depth + 1)).join(',')}]`;
  const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k], depth + 1)}`).join(',')}}`;
}
const same = (a: unknown, b: unknown) => canon(a) === canon(b);
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)) as T);

// ---------------------------------------------------------------- entities of a bundle

function matterEntities(b: TemplateBundle, out: Entities) {
  out.set('matter', { props: { title: b.title, timeLimit: b.matter.timeLimit, minAuthLevel: b.matter.minAuthLevel, contact: b.matter.contact } });
}

function formEntities(b: TemplateBundle, out: Entities) {
  for (const form of b.forms.slice(0, 100)) {
    const ref = b.matter.forms.find((r) => r.key === form.key);
    if (!ref) continue;
    const id = `form:${form.key}`;
    out.set(id, { props: { title: form.title, refTitle: ref.title } });
    const walk = (node: Record<string, unknown>, prefix: string, parent: string | undefined, depth: number) => {
      if (depth > MAX_DEPTH || out.size > MAX_ENTITIES) return;
      const props = node.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, child] of Object.entries(props ?? {})) {
        if (!child || typeof child !== 'object') continue;
        const fid = `${prefix}/${key}`;
        const { properties: _p, items: _i, ...own } = child;
        out.set(fid, { props: own, ...(parent ? { parent } : {}) });
        walk(child, fid, fid, depth + 1);
        const items = child.items as Record<string, unknown> | undefined;
        if (items && typeof items === 'object' && !Array.isArray(items)) walk(items, `${fid}/[]`, fid, depth + 1);
      }
    };
    walk(form.schema, `field:${form.key}`, id, 0);
  }
}

function itemEntities(b: TemplateBundle, out: Entities) {
  for (const item of b.matter.linkedItems.slice(0, 200)) {
    const { key: _k, ...props } = item;
    out.set(`item:${item.key}`, { props: props as Record<string, unknown> });
  }
}

// ---------------------------------------------------------------- flow (bpmn-moddle)

interface ParsedFlow {
  moddle: any;
  defs: any;
  process: any;
  /** Every flow element by id, with the element whose `flowElements` holds it. */
  byId: Map<string, { el: any; container: any }>;
}

async function parseFlow(xml: string): Promise<ParsedFlow> {
  const moddle = new BpmnModdle({ lb: lianbanModdle });
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  const defs = rootElement as any;
  const processes = ((defs.rootElements ?? []) as any[]).filter((r) => r.$type === 'bpmn:Process');
  const process = processes.find((p) => p.isExecutable) ?? processes[0];
  if (!process) throw new Error('流程中没有 bpmn:process');
  const byId = new Map<string, { el: any; container: any }>();
  const walk = (container: any, depth: number) => {
    if (depth > MAX_DEPTH) return;
    for (const el of (container.flowElements ?? []) as any[]) {
      if (byId.size > MAX_ENTITIES) return;
      if (el.id) byId.set(el.id, { el, container });
      if (el.flowElements) walk(el, depth + 1);
    }
  };
  walk(process, 0);
  return { moddle, defs, process, byId };
}

/** A moddle sub-tree as plain JSON: references to other elements become their ids. */
function plain(v: any, depth = 0): unknown {
  if (depth > 6 || v === undefined || v === null) return undefined;
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.slice(0, 50).map((x) => plain(x, depth + 1));
  const out: Record<string, unknown> = { $type: v.$type };
  for (const [k, x] of Object.entries(v as Record<string, any>)) {
    if (k.startsWith('$')) continue;
    out[k] = x && typeof x === 'object' && !Array.isArray(x) && x.id && depth > 0 && k.endsWith('Ref') ? `#${x.id}` : plain(x, depth + 1);
  }
  return out;
}

const FLOW_REFS = { source: 'sourceRef', target: 'targetRef', default: 'default', attachedTo: 'attachedToRef' } as const;
const FLOW_OBJECTS = { condition: 'conditionExpression', events: 'eventDefinitions', loop: 'loopCharacteristics', documentation: 'documentation' } as const;

function flowProps(el: any): Record<string, unknown> {
  const props: Record<string, unknown> = { type: el.$type, name: el.name };
  for (const a of LB_ATTRIBUTES) {
    const v = el.get?.(`lb:${a}`);
    if (typeof v === 'string' && v !== '') props[`lb:${a}`] = v;
  }
  for (const [p, k] of Object.entries(FLOW_REFS)) if (el[k]?.id) props[p] = el[k].id;
  if (el.conditionExpression) props.condition = el.conditionExpression.body;
  if (el.eventDefinitions?.length) props.events = plain(el.eventDefinitions, 1);
  if (el.loopCharacteristics) props.loop = plain(el.loopCharacteristics, 1);
  if (el.documentation?.length) props.documentation = (el.documentation as any[]).map((d) => d.text ?? '').join('\n');
  return props;
}

function flowEntities(f: ParsedFlow, out: Entities) {
  for (const [id, { el, container }] of f.byId) {
    out.set(`flow:${id}`, { props: flowProps(el), ...(container !== f.process ? { parent: `flow:${container.id}` } : {}) });
  }
}

async function entitiesOf(b: TemplateBundle): Promise<Entities> {
  const out: Entities = new Map();
  matterEntities(b, out);
  formEntities(b, out);
  itemEntities(b, out);
  flowEntities(await parseFlow(b.flow.xml), out);
  return out;
}

const unitOf = (id: string): TemplateUnit => (id === 'matter' ? 'matter' : (id.slice(0, id.indexOf(':')) as TemplateUnit));

/** Every change of the template from `base` to `theirs`, compared with the city's `ours`. */
export async function templateDiff(base: TemplateBundle, theirs: TemplateBundle, ours: TemplateBundle): Promise<TemplateChange[]> {
  const [b, t, o] = await Promise.all([entitiesOf(base), entitiesOf(theirs), entitiesOf(ours)]);
  const changes: TemplateChange[] = [];
  const push = (c: Omit<TemplateChange, 'id' | 'unit'>, entity: string) => changes.push({ id: c.path, unit: unitOf(entity), ...c });
  const ids = [...new Set([...b.keys(), ...t.keys()])].slice(0, MAX_ENTITIES * 2);
  for (const id of ids) {
    const be = b.get(id);
    const te = t.get(id);
    const oe = o.get(id);
    if (!be && te) {
      // added by the template; a child of an added container comes with it
      if (te.parent && !b.has(te.parent) && t.has(te.parent)) continue;
      if (oe && same(oe.props, te.props)) continue;
      push({ path: id, kind: 'added', theirs: te.props, ...(oe ? { ours: oe.props } : {}), conflict: !!oe }, id);
    } else if (be && !te) {
      if (!oe) continue;
      if (be.parent && !t.has(be.parent)) continue;
      push({ path: id, kind: 'removed', base: be.props, ours: oe.props, conflict: !same(oe.props, be.props) }, id);
    } else if (be && te) {
      if (same(be.props, te.props)) continue;
      if (!oe) {
        // the city removed what the template changed
        if (be.parent && !o.has(be.parent)) continue;
        push({ path: id, kind: 'changed', base: be.props, theirs: te.props, conflict: true }, id);
        continue;
      }
      for (const p of [...new Set([...Object.keys(be.props), ...Object.keys(te.props)])]) {
        const bv = be.props[p];
        const tv = te.props[p];
        if (same(bv, tv)) continue;
        const ov = oe.props[p];
        if (same(ov, tv)) continue; // the city already has it
        const kind = bv === undefined ? 'added' : tv === undefined ? 'removed' : 'changed';
        push({ path: `${id}#${p}`, kind, base: bv, theirs: tv, ours: ov, conflict: !same(ov, bv) }, id);
      }
    }
  }
  return changes;
}

// ---------------------------------------------------------------- applying

const entityOf = (path: string) => (path.includes('#') ? path.slice(0, path.indexOf('#')) : path);
const propOf = (path: string) => (path.includes('#') ? path.slice(path.indexOf('#') + 1) : undefined);

/** The schema node at a field path (`field:<form>/<a>/[]/<b>`) in a bundle, with its parent container. */
function fieldNode(bundle: TemplateBundle, entity: string): { form?: TemplateBundle['forms'][number]; container?: Record<string, unknown>; key: string; node?: Record<string, unknown> } {
  const [formKey, ...steps] = entity.slice('field:'.length).split('/');
  const form = bundle.forms.find((f) => f.key === formKey);
  const key = steps.at(-1) ?? '';
  let container: Record<string, unknown> | undefined = form?.schema;
  for (const step of steps.slice(0, -1).slice(0, MAX_DEPTH)) {
    if (!container) break;
    container = step === '[]' ? (container.items as Record<string, unknown> | undefined) : (container.properties as Record<string, Record<string, unknown>> | undefined)?.[step];
  }
  const node = (container?.properties as Record<string, Record<string, unknown>> | undefined)?.[key];
  return { form, container, key, node };
}

/** Inserts `value` under `key` into an ordered record, after `after` (first when none / not found). */
function insertAfter<V>(rec: Record<string, V>, key: string, value: V, after: string | undefined): Record<string, V> {
  const out: Record<string, V> = {};
  if (after === undefined || !(after in rec)) out[key] = value;
  for (const [k, v] of Object.entries(rec)) {
    if (k === key) continue;
    out[k] = v;
    if (k === after) out[key] = value;
  }
  return out;
}

/** The key before `key` in the order of theirs that ours has too. */
function predecessor(theirsKeys: string[], key: string, oursHas: (k: string) => boolean): string | undefined {
  const i = theirsKeys.indexOf(key);
  for (let j = i - 1; j >= 0; j--) if (oursHas(theirsKeys[j]!)) return theirsKeys[j];
  return undefined;
}

function setProp(target: Record<string, unknown>, prop: string, value: unknown) {
  if (value === undefined) delete target[prop];
  else target[prop] = clone(value);
}

function applyField(out: TemplateBundle, theirs: TemplateBundle, c: TemplateChange): string | undefined {
  const entity = entityOf(c.path);
  const prop = propOf(c.path);
  const o = fieldNode(out, entity);
  if (!o.form) return `本市事项中没有表单「${entity.split('/')[0]!.slice(6)}」`;
  if (!o.container) return '本市表单中没有该字段所在的分组';
  if (prop !== undefined) {
    if (!o.node) return '本市表单中已没有该字段';
    setProp(o.node, prop, c.theirs);
    return undefined;
  }
  const props = (o.container.properties ?? {}) as Record<string, unknown>;
  if (c.kind === 'removed') {
    delete props[o.key];
    return undefined;
  }
  const t = fieldNode(theirs, entity);
  if (!t.node) return '模板中没有该字段';
  const after = predecessor(Object.keys((t.container?.properties ?? {}) as object), o.key, (k) => k in props);
  o.container.properties = insertAfter(props, o.key, clone(t.node), after);
  return undefined;
}

function applyForm(out: TemplateBundle, theirs: TemplateBundle, c: TemplateChange): string | undefined {
  const key = entityOf(c.path).slice('form:'.length);
  const prop = propOf(c.path);
  if (prop === 'title') {
    const form = out.forms.find((f) => f.key === key);
    if (!form) return `本市事项中没有表单「${key}」`;
    form.title = String(c.theirs ?? form.title);
    return undefined;
  }
  if (prop === 'refTitle') {
    const ref = out.matter.forms.find((f) => f.key === key);
    if (!ref) return `本市事项中没有表单「${key}」`;
    if (c.theirs === undefined) delete ref.title;
    else ref.title = String(c.theirs);
    return undefined;
  }
  if (c.kind === 'removed') {
    out.forms = out.forms.filter((f) => f.key !== key);
    out.matter.forms = out.matter.forms.filter((f) => f.key !== key);
    return undefined;
  }
  const form = theirs.forms.find((f) => f.key === key);
  const ref = theirs.matter.forms.find((f) => f.key === key);
  if (!form || !ref) return `模板中没有表单「${key}」`;
  out.forms = [...out.forms.filter((f) => f.key !== key), clone(form)];
  const refs = out.matter.forms.filter((f) => f.key !== key);
  const after = predecessor(theirs.matter.forms.map((f) => f.key), key, (k) => refs.some((r) => r.key === k));
  const at = after === undefined ? 0 : refs.findIndex((r) => r.key === after) + 1;
  refs.splice(at, 0, clone(ref));
  out.matter.forms = refs;
  return undefined;
}

function applyItem(out: TemplateBundle, theirs: TemplateBundle, c: TemplateChange): string | undefined {
  const key = entityOf(c.path).slice('item:'.length);
  const prop = propOf(c.path);
  const items = out.matter.linkedItems;
  if (prop !== undefined) {
    const item = items.find((i) => i.key === key);
    if (!item) return `本市事项中已没有关联事项「${key}」`;
    setProp(item as unknown as Record<string, unknown>, prop, c.theirs);
    return undefined;
  }
  if (c.kind === 'removed') {
    out.matter.linkedItems = items.filter((i) => i.key !== key);
    return undefined;
  }
  const item = theirs.matter.linkedItems.find((i) => i.key === key);
  if (!item) return `模板中没有关联事项「${key}」`;
  const rest = items.filter((i) => i.key !== key);
  const after = predecessor(theirs.matter.linkedItems.map((i) => i.key), key, (k) => rest.some((r) => r.key === k));
  rest.splice(after === undefined ? 0 : rest.findIndex((r) => r.key === after) + 1, 0, clone(item));
  out.matter.linkedItems = rest;
  return undefined;
}

function applyMatter(out: TemplateBundle, c: TemplateChange): string | undefined {
  const prop = propOf(c.path);
  if (prop === 'title') out.title = String(c.theirs ?? out.title);
  else if (prop === 'timeLimit' || prop === 'minAuthLevel' || prop === 'contact') setProp(out.matter as unknown as Record<string, unknown>, prop, c.theirs);
  else return `未知的事项设置「${prop}」`;
  return undefined;
}

function diShapes(f: ParsedFlow): any[] {
  return ((f.defs.diagrams ?? []) as any[]).flatMap((d) => (d.plane?.planeElement ?? []) as any[]);
}

function applyFlow(ours: ParsedFlow, theirs: ParsedFlow, c: TemplateChange): string | undefined {
  const id = entityOf(c.path).slice('flow:'.length);
  const prop = propOf(c.path);
  const o = ours.byId.get(id);
  const t = theirs.byId.get(id);
  if (prop !== undefined) {
    if (!o) return `本市流程中已没有元素「${id}」`;
    if (prop === 'name') o.el.name = c.theirs === undefined ? undefined : String(c.theirs);
    else if (prop.startsWith('lb:')) o.el.set(prop, c.theirs === undefined ? undefined : String(c.theirs));
    else if (prop in FLOW_REFS) {
      const k = FLOW_REFS[prop as keyof typeof FLOW_REFS];
      if (c.theirs === undefined) o.el[k] = undefined;
      else {
        const target = ours.byId.get(String(c.theirs));
        if (!target) return `本市流程中没有元素「${String(c.theirs)}」`;
        o.el[k] = target.el;
      }
    } else if (prop in FLOW_OBJECTS) {
      if (!t) return `模板中没有元素「${id}」`;
      const k = FLOW_OBJECTS[prop as keyof typeof FLOW_OBJECTS];
      o.el[k] = t.el[k];
    } else if (prop === 'type') return '元素类型的变化须删除后重新添加';
    else return `未知的流程属性「${prop}」`;
    return undefined;
  }
  if (c.kind === 'removed') {
    if (!o) return undefined;
    removeFlowElement(ours, id);
    return undefined;
  }
  if (!t) return `模板中没有元素「${id}」`;
  const parentId = t.container === theirs.process ? undefined : t.container.id;
  const container = parentId === undefined ? ours.process : ours.byId.get(parentId)?.el;
  if (!container) return `本市流程中没有子流程「${parentId}」`;
  if (o) removeFlowElement(ours, id);
  container.flowElements = [...(container.flowElements ?? []), t.el];
  const index = (el: any, cont: any, depth: number) => {
    ours.byId.set(el.id, { el, container: cont });
    if (depth < MAX_DEPTH) for (const child of (el.flowElements ?? []) as any[]) index(child, el, depth + 1);
  };
  index(t.el, container, 0);
  const plane = (ours.defs.diagrams ?? [])[0]?.plane;
  if (plane) {
    const ids = new Set<string>();
    const collect = (el: any, depth: number) => {
      ids.add(el.id);
      if (depth < MAX_DEPTH) for (const child of (el.flowElements ?? []) as any[]) collect(child, depth + 1);
    };
    collect(t.el, 0);
    const shapes = diShapes(theirs).filter((s) => s.bpmnElement && ids.has(s.bpmnElement.id));
    plane.planeElement = [...(plane.planeElement ?? []).filter((s: any) => !(s.bpmnElement && ids.has(s.bpmnElement.id))), ...shapes];
  }
  return undefined;
}

function removeFlowElement(f: ParsedFlow, id: string) {
  const hit = f.byId.get(id);
  if (!hit) return;
  hit.container.flowElements = (hit.container.flowElements as any[]).filter((e) => e !== hit.el);
  f.byId.delete(id);
  for (const d of (f.defs.diagrams ?? []) as any[]) {
    if (d.plane?.planeElement) d.plane.planeElement = (d.plane.planeElement as any[]).filter((s) => s.bpmnElement?.id !== id);
  }
}

/**
 * After the changes: references point at this flow's own elements (an added element came from
 * the template's tree), sequence flows whose ends are gone go too, and `incoming`/`outgoing`
 * follow the sequence flows again.
 */
function settleFlow(f: ParsedFlow) {
  for (let round = 0; round < 3; round++) {
    let removed = false;
    for (const [id, { el }] of [...f.byId]) {
      for (const k of Object.values(FLOW_REFS)) {
        const ref = el[k];
        if (!ref?.id) continue;
        const own = f.byId.get(ref.id)?.el;
        if (own) el[k] = own;
        else if (k === 'sourceRef' || k === 'targetRef' || k === 'attachedToRef') {
          removeFlowElement(f, id);
          removed = true;
          break;
        } else el[k] = undefined;
      }
    }
    if (!removed) break;
  }
  for (const { el } of f.byId.values()) {
    if (el.$type === 'bpmn:SequenceFlow') continue;
    if ('incoming' in el || 'outgoing' in el || el.$instanceOf?.('bpmn:FlowNode')) {
      el.incoming = [];
      el.outgoing = [];
    }
  }
  for (const { el } of f.byId.values()) {
    if (el.$type !== 'bpmn:SequenceFlow') continue;
    el.sourceRef?.outgoing?.push(el);
    el.targetRef?.incoming?.push(el);
  }
  for (const s of diShapes(f)) {
    const own = s.bpmnElement?.id ? f.byId.get(s.bpmnElement.id)?.el : undefined;
    if (own) s.bpmnElement = own;
  }
}

/**
 * The city's matter with the accepted changes of the template applied. A conflict among
 * `accepted` is applied only with `resolve: 'theirs'`, else skipped with the reason; a change
 * that no longer fits the city's matter (its field or element is gone) is skipped too.
 */
export async function applyTemplateChanges(
  ours: TemplateBundle, theirs: TemplateBundle, changes: TemplateChange[], accepted: Iterable<string>, opts: { resolve?: 'theirs' } = {},
): Promise<TemplateMergeResult> {
  const out = clone(ours);
  const wanted = new Set([...accepted].slice(0, MAX_ENTITIES));
  const applied: string[] = [];
  const skipped: { id: string; reason: string }[] = [];
  let oursFlow: ParsedFlow | undefined;
  let theirsFlow: ParsedFlow | undefined;
  // what is added comes first (a changed reference may point at it), what is removed last
  const rank = (c: TemplateChange) => (c.path.includes('#') ? 1 : c.kind === 'removed' ? 2 : 0);
  const ordered = changes.slice(0, MAX_ENTITIES * 2).map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map((x) => x.c);
  for (const c of ordered) {
    if (!wanted.has(c.id)) continue;
    wanted.delete(c.id);
    if (c.conflict && opts.resolve !== 'theirs') {
      skipped.push({ id: c.id, reason: '与本市的修改冲突：须明确选择采用模板版本' });
      continue;
    }
    let problem: string | undefined;
    if (c.unit === 'matter') problem = applyMatter(out, c);
    else if (c.unit === 'form') problem = applyForm(out, theirs, c);
    else if (c.unit === 'field') problem = applyField(out, theirs, c);
    else if (c.unit === 'item') problem = applyItem(out, theirs, c);
    else {
      oursFlow ??= await parseFlow(out.flow.xml);
      theirsFlow ??= await parseFlow(theirs.flow.xml);
      problem = applyFlow(oursFlow, theirsFlow, c);
    }
    if (problem) skipped.push({ id: c.id, reason: problem });
    else applied.push(c.id);
  }
  for (const id of wanted) skipped.push({ id, reason: '没有这项修改（差异已变化，请刷新）' });
  if (oursFlow) {
    settleFlow(oursFlow);
    const { xml } = await oursFlow.moddle.toXML(oursFlow.defs, { format: true });
    out.flow = { ...out.flow, xml };
  }
  return { bundle: out, applied, skipped };
}
