/**
 * The flow side of "添加关联事项": a conditional branch with the department's user task inside
 * the flow's existing inclusive split/join, made with bpmn-js modelling commands so the DI
 * (shape, edges, labels) is laid out by bpmn-js and the step is undoable in the modeler.
 *
 *   const { taskId } = addLinkedItemBranch(api.modeler, { itemKey, title, department, fieldKey });
 *
 * The task goes one row below the lowest element between split and join, in the column of the
 * existing branch tasks: `lb:candidateGroups=<department>`, `lb:linkedItem=<key>`,
 * `lb:outcomes="done,not-eligible"`, `lb:outcomeItemStatus="not-eligible=standalone"`; the
 * incoming flow has the FEEL condition `<field> = true`.
 */
import type Modeler from 'bpmn-js/lib/Modeler';

interface Shape { id: string; type: string; x: number; y: number; width: number; height: number; parent?: Shape; businessObject: { $type: string; name?: string; get(name: string): unknown }; incoming: Connection[]; outgoing: Connection[]; waypoints?: unknown }
interface Connection { id: string; source: Shape; target: Shape }

interface ElementRegistry { getAll(): Shape[]; get(id: string): Shape | undefined }
interface Modeling {
  createShape(shape: { type: string; width?: number; height?: number }, position: { x: number; y: number }, parent: Shape): Shape;
  connect(source: Shape, target: Shape, attrs?: { type: string }): Connection;
  updateProperties(element: Shape | Connection, props: Record<string, unknown>): void;
}
interface BpmnFactory { create(type: string, attrs: Record<string, unknown>): unknown }

export interface BranchSpec {
  itemKey: string;
  /** Task name, e.g. 失业保险金停发. */
  title: string;
  department: string;
  /** The opt-in field the branch condition reads. */
  fieldKey: string;
}

export interface BranchResult { taskId: string; incomingId: string; outgoingId: string; splitId: string; joinId: string }

/** Thrown when the flow has no inclusive split/join to add a linked item's branch to. */
export class NoInclusiveSplitError extends Error {
  constructor() {
    super('流程中没有包容网关（按勾选并行办理关联事项的分支与汇合），无法自动添加分支。请先在流程中添加一对包容网关。');
    this.name = 'NoInclusiveSplitError';
  }
}

const isInclusive = (s: Shape) => s.type === 'bpmn:InclusiveGateway';

/** The inclusive join every branch of `split` reaches first (breadth-first). */
function joinOf(split: Shape): Shape | undefined {
  const seen = new Set<string>([split.id]);
  let frontier = split.outgoing.map((c) => c.target);
  while (frontier.length) {
    const next: Shape[] = [];
    for (const el of frontier) {
      if (seen.has(el.id)) continue;
      seen.add(el.id);
      if (isInclusive(el) && el.incoming.length > 1) return el;
      next.push(...el.outgoing.map((c) => c.target));
    }
    frontier = next;
  }
  return undefined;
}

/** The inclusive split (and its join) whose branches handle linked items; the first one otherwise. */
export function findInclusivePair(registry: ElementRegistry): { split: Shape; join: Shape } | null {
  const splits = registry.getAll().filter((s) => isInclusive(s) && s.outgoing.length > 1);
  const handlesItems = (s: Shape) => s.outgoing.some((c) => !!c.target.businessObject.get?.('lb:linkedItem'));
  for (const split of [...splits.filter(handlesItems), ...splits.filter((s) => !handlesItems(s))]) {
    const join = joinOf(split);
    if (join) return { split, join };
  }
  return null;
}

/** Adds the branch; see the header. Returns the ids of the new elements. */
export function addLinkedItemBranch(modeler: Modeler, spec: BranchSpec): BranchResult {
  const registry = modeler.get<ElementRegistry>('elementRegistry');
  const modeling = modeler.get<Modeling>('modeling');
  const bpmnFactory = modeler.get<BpmnFactory>('bpmnFactory');
  const pair = findInclusivePair(registry);
  if (!pair) throw new NoInclusiveSplitError();
  const { split, join } = pair;

  // Column: the existing branch tasks' centre; row: below everything between split and join.
  const branchTasks = split.outgoing.map((c) => c.target).filter((t) => t.id !== join.id && !t.waypoints);
  const centreX = branchTasks.length
    ? Math.round(branchTasks.reduce((sum, t) => sum + t.x + t.width / 2, 0) / branchTasks.length)
    : Math.round((split.x + split.width + join.x) / 2);
  const between = registry.getAll().filter((s) => !s.waypoints && s.type !== 'label' && s.x >= split.x + split.width && s.x + s.width <= join.x && s.parent === split.parent);
  const bottom = Math.max(split.y + split.height, ...between.map((s) => s.y + s.height));
  const width = Math.max(120, ...branchTasks.map((t) => t.width));
  const task = modeling.createShape({ type: 'bpmn:UserTask', width, height: 80 }, { x: centreX, y: bottom + 40 + 40 }, split.parent!);
  modeling.updateProperties(task, {
    name: spec.title,
    'lb:candidateGroups': spec.department,
    'lb:linkedItem': spec.itemKey,
    'lb:outcomes': 'done,not-eligible',
    'lb:outcomeItemStatus': 'not-eligible=standalone',
  });
  const incoming = modeling.connect(split, task, { type: 'bpmn:SequenceFlow' });
  modeling.updateProperties(incoming, {
    name: `勾选${spec.title}`,
    conditionExpression: bpmnFactory.create('bpmn:FormalExpression', { body: `${spec.fieldKey} = true` }),
  });
  const outgoing = modeling.connect(task, join, { type: 'bpmn:SequenceFlow' });
  return { taskId: task.id, incomingId: incoming.id, outgoingId: outgoing.id, splitId: split.id, joinId: join.id };
}

/** Selects an element in the modeler and scrolls it into view (publish problems, wizard result). */
export function revealElement(modeler: Modeler, id: string): boolean {
  const el = modeler.get<ElementRegistry>('elementRegistry').get(id);
  if (!el) return false;
  modeler.get<{ select(e: unknown): void }>('selection').select(el);
  modeler.get<{ scrollToElement(e: unknown, padding?: number): void }>('canvas').scrollToElement(el, 100);
  return true;
}
