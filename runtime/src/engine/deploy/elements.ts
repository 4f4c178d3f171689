/**
 * One compiler per supported BPMN element type, in one table keyed by type. A compiler fills
 * in the type-specific fields of a `CompiledElement` and reports what it cannot run. Types not
 * in the table are refused by the caller with a problem naming the element.
 */
import { compileFeel } from '../feel';
import { isDateTime, parseDuration } from '../time';
import type { CompiledElement, ElementType, EventKind, Problem, TimerSpec } from '../types';
import { shortType, type ModdleElement } from './moddle-types';

export interface CompileContext {
  problems: Problem[];
  /** true for elements directly in the process (not inside a sub-process). */
  topLevel: boolean;
}

type Compiler = (fe: ModdleElement, el: CompiledElement, ctx: CompileContext) => void;

/** BPMN event definition type → the kind of event the engine runs. */
export const KIND_BY_DEFINITION: Readonly<Record<string, EventKind>> = {
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:TimerEventDefinition': 'timer',
};

/**
 * The event kinds each event type accepts ('none': no event definition). One table for the
 * compilers below and for `SUPPORTED_BPMN_ELEMENTS` (the designer's linter reads it).
 */
export const EVENT_KINDS = {
  startEvent: ['none', 'message'],
  endEvent: ['none', 'message', 'error', 'terminate'],
  intermediateCatchEvent: ['message', 'timer'],
  intermediateThrowEvent: ['none', 'message'],
  boundaryEvent: ['timer', 'error'],
} as const satisfies Partial<Record<ElementType, readonly EventKind[]>>;

/** Flow elements that do not take part in execution (data, no tokens): allowed, skipped. */
export const INERT_ELEMENTS: ReadonlySet<string> = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

function problem(ctx: CompileContext, fe: ModdleElement, code: string, message: string) {
  ctx.problems.push({ element: fe.id, type: fe.$type, code, message });
}

/** Reads the event definition of an event, accepting only `allowed` kinds. */
function eventOf(allowed: readonly EventKind[]): Compiler {
  return (fe, el, ctx) => {
    const defs = (fe.eventDefinitions as ModdleElement[] | undefined) ?? [];
    if (defs.length > 1) return problem(ctx, fe, 'unsupported-event', `事件 ${fe.id} 有多个事件定义，暂不支持`);
    const def = defs[0];
    const kind: EventKind = def ? (KIND_BY_DEFINITION[def.$type] ?? ('unknown' as EventKind)) : 'none';
    if (!allowed.includes(kind)) {
      const what = def ? `${shortType(def.$type)}` : 'none';
      return problem(ctx, fe, 'unsupported-event', `不支持的事件类型：${fe.id}（${shortType(fe.$type)} / ${what}）`);
    }
    el.event = { kind };
    if (kind === 'message') {
      const msg = def!.messageRef as ModdleElement | undefined;
      if (!msg) return problem(ctx, fe, 'missing-message', `消息事件 ${fe.id} 未引用消息（messageRef）`);
      el.event.messageName = (msg.name as string | undefined) ?? msg.id;
    } else if (kind === 'error') {
      const err = def!.errorRef as ModdleElement | undefined;
      const code = (err?.errorCode as string | undefined) ?? err?.id;
      if (code) el.event.errorCode = code;
    } else if (kind === 'timer') {
      const timer = timerOf(def!, fe, el, ctx);
      if (timer) el.event.timer = timer;
    }
  };
}

function timerOf(def: ModdleElement, fe: ModdleElement, el: CompiledElement, ctx: CompileContext): TimerSpec | undefined {
  const body = (x: unknown) => ((x as ModdleElement | undefined)?.body as string | undefined)?.trim();
  if (body(def.timeCycle)) return void problem(ctx, fe, 'unsupported-timer', `定时事件 ${fe.id} 使用了循环定时（timeCycle），暂不支持`);
  const duration = body(def.timeDuration);
  const date = body(def.timeDate);
  const calendar = fe.get?.('lb:dueCalendar') === 'workdays' ? ('workdays' as const) : undefined;
  if (duration) {
    if (!parseDuration(duration)) return void problem(ctx, fe, 'invalid-duration', `定时事件 ${fe.id} 的时长「${duration}」不是 ISO 8601 时长`);
    return { duration, ...(calendar ? { calendar } : {}) };
  }
  if (date) {
    if (!isDateTime(date)) return void problem(ctx, fe, 'invalid-date', `定时事件 ${fe.id} 的时间「${date}」不是 ISO 8601 日期时间`);
    return { date };
  }
  void el;
  return void problem(ctx, fe, 'missing-timer', `定时事件 ${fe.id} 未设置时长或时间`);
}

/** Multi-instance (parallel only) on user tasks; other loops are refused. */
function loopOf(fe: ModdleElement, el: CompiledElement, ctx: CompileContext) {
  const loop = fe.loopCharacteristics as ModdleElement | undefined;
  if (!loop) return;
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics' || loop.isSequential || el.type !== 'userTask') {
    return problem(ctx, fe, 'unsupported-loop', `${fe.id}：仅支持用户任务的并行多实例（${shortType(loop.$type)}${loop.isSequential ? '，串行' : ''}）`);
  }
  const collection = loop.get?.('lb:collection') as string | undefined;
  if (!collection) return problem(ctx, fe, 'missing-collection', `多实例任务 ${fe.id} 未设置 lb:collection（集合变量名）`);
  el.mi = { collection };
  const elementVariable = loop.get?.('lb:elementVariable') as string | undefined;
  if (elementVariable) el.mi.elementVariable = elementVariable;
  const cond = ((loop.completionCondition as ModdleElement | undefined)?.body as string | undefined)?.trim();
  if (cond) {
    const c = compileFeel(cond);
    if ('error' in c) problem(ctx, fe, 'feel-syntax', `多实例任务 ${fe.id} 的完成条件有误：${c.error}`);
    else el.mi.completionCondition = c.expr;
  }
}

const activity: Compiler = (fe, el, ctx) => {
  if (fe.isForCompensation) problem(ctx, fe, 'unsupported-compensation', `${fe.id}：不支持补偿活动`);
  loopOf(fe, el, ctx);
};

const topOnly = (inner: Compiler): Compiler => (fe, el, ctx) => {
  inner(fe, el, ctx);
  if (!ctx.topLevel && el.event?.kind === 'message') {
    problem(ctx, fe, 'unsupported-event', `子流程中的开始事件 ${fe.id} 只能是空开始事件`);
  }
};

/** The table: BPMN short type → compiler. */
export const ELEMENT_COMPILERS: Partial<Record<ElementType, Compiler>> = {
  startEvent: topOnly(eventOf(EVENT_KINDS.startEvent)),
  endEvent: eventOf(EVENT_KINDS.endEvent),
  intermediateCatchEvent: eventOf(EVENT_KINDS.intermediateCatchEvent),
  intermediateThrowEvent: eventOf(EVENT_KINDS.intermediateThrowEvent),
  boundaryEvent: (fe, el, ctx) => {
    eventOf(EVENT_KINDS.boundaryEvent)(fe, el, ctx);
    const host = fe.attachedToRef as ModdleElement | undefined;
    if (!host) return problem(ctx, fe, 'missing-attachment', `边界事件 ${fe.id} 未附着在任何活动上`);
    el.attachedTo = host.id;
    el.interrupting = fe.cancelActivity !== false;
    if (el.event?.kind === 'error' && !el.interrupting) problem(ctx, fe, 'invalid-boundary', `错误边界事件 ${fe.id} 必须是中断型`);
  },
  userTask: activity,
  serviceTask: activity,
  receiveTask: (fe, el, ctx) => {
    activity(fe, el, ctx);
    const msg = fe.messageRef as ModdleElement | undefined;
    if (!msg) return problem(ctx, fe, 'missing-message', `接收任务 ${fe.id} 未引用消息（messageRef）`);
    el.event = { kind: 'message', messageName: (msg.name as string | undefined) ?? msg.id };
  },
  task: activity,
  subProcess: (fe, el, ctx) => {
    if (fe.triggeredByEvent) return problem(ctx, fe, 'unsupported-element', `不支持事件子流程：${fe.id}`);
    activity(fe, el, ctx);
  },
  exclusiveGateway: () => {},
  parallelGateway: () => {},
  inclusiveGateway: () => {},
};

