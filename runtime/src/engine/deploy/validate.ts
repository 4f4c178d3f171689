/**
 * Structural checks after compiling: wires flows into elements, attaches boundary events, finds
 * the start events, and reports graph mistakes (flows crossing a sub-process border, a default
 * flow that is not outgoing, an item status with no item to apply to).
 */
import type { CompiledElement, CompiledFlow, Definition, Problem } from '../types';

const ACTIVITIES = new Set(['userTask', 'serviceTask', 'receiveTask', 'task', 'subProcess']);

/** Wires the graph and returns the process-level start events; pushes problems. */
export function validate(
  elements: Record<string, CompiledElement>,
  flows: Record<string, CompiledFlow>,
  problems: Problem[],
): Definition['starts'] {
  const p = (element: string, code: string, message: string) => problems.push({ element, code, message });

  for (const f of Object.values(flows)) {
    const source = elements[f.source];
    const target = elements[f.target];
    if (!source || !target) {
      p(f.id, 'dangling-flow', `顺序流 ${f.id} 连接了未知元素`);
      continue;
    }
    if (source.parent !== target.parent) {
      p(f.id, 'crosses-subprocess', `顺序流 ${f.id} 跨越了子流程边界（${f.source} → ${f.target}）`);
      continue;
    }
    if (target.type === 'startEvent' || target.type === 'boundaryEvent') p(f.id, 'flow-into-start', `顺序流 ${f.id} 不能指向开始事件或边界事件 ${f.target}`);
    if (source.type === 'endEvent') p(f.id, 'flow-from-end', `顺序流 ${f.id} 不能从结束事件 ${f.source} 出发`);
    source.outgoing.push(f.id);
    target.incoming.push(f.id);
    if (f.itemStatus && !f.linkedItem && !source.lb.linkedItem) {
      p(f.id, 'missing-linked-item', `顺序流 ${f.id} 设置了 lb:itemStatus，但它和起点 ${f.source} 都没有 lb:linkedItem`);
    }
  }

  const starts: Definition['starts'] = { messages: {} };
  const subStarts = new Map<string, string[]>();
  for (const el of Object.values(elements)) {
    if (el.default && !el.outgoing.includes(el.default)) p(el.id, 'invalid-default', `${el.id} 的默认顺序流 ${el.default} 不是它的出口`);
    if (el.lb.itemStatus && !el.lb.linkedItem) p(el.id, 'missing-linked-item', `${el.id} 设置了 lb:itemStatus 但没有 lb:linkedItem`);
    if (el.type === 'boundaryEvent') {
      const host = el.attachedTo ? elements[el.attachedTo] : undefined;
      if (!host || !ACTIVITIES.has(host.type) || host.parent !== el.parent) {
        p(el.id, 'invalid-attachment', `边界事件 ${el.id} 必须附着在同一层级的活动上`);
      } else (host.boundaries ??= []).push(el.id);
    }
    if (el.type !== 'startEvent') continue;
    if (el.parent) {
      subStarts.set(el.parent, [...(subStarts.get(el.parent) ?? []), el.id]);
    } else if (el.event?.kind === 'message') {
      const name = el.event.messageName!;
      if (starts.messages[name]) p(el.id, 'duplicate-start', `消息「${name}」对应多个开始事件`);
      starts.messages[name] = el.id;
    } else if (starts.none) {
      p(el.id, 'multiple-starts', `流程有多个空开始事件：${starts.none}、${el.id}`);
    } else starts.none = el.id;
  }
  if (!starts.none && !Object.keys(starts.messages).length) problems.push({ code: 'no-start', message: '流程没有开始事件' });

  for (const el of Object.values(elements)) {
    if (el.type !== 'subProcess') continue;
    const list = subStarts.get(el.id) ?? [];
    if (list.length !== 1) p(el.id, 'subprocess-start', `子流程 ${el.id} 需要恰好一个空开始事件（现有 ${list.length} 个）`);
    else el.start = list[0];
  }
  return starts;
}
