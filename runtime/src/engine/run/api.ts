/**
 * The engine's operations: each takes a definition, a state and an event, and returns a new
 * state (the input is never mutated), the open waits and the effects of this step.
 */
import { EngineError } from '../errors';
import { FLOW_STATE_VERSION, type CompleteInput, type Definition, type FlowState, type RunOptions, type StartOptions, type StepResult, type WaitKind, type WaitRecord, type Wait } from '../types';
import { HANDLERS } from './handlers/index';
import { Run } from './run';
import { upgradeState } from './state-upgrade';
import { throwError } from './throw-error';
import { describeWaits } from './waits';

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function clock(opts?: RunOptions): string {
  if (opts?.now === undefined) return new Date().toISOString();
  if (Number.isNaN(Date.parse(opts.now))) throw new EngineError('invalid-input', `时间「${opts.now}」不是 ISO 日期时间`);
  return opts.now;
}

export function result(run: Run): StepResult {
  return { state: run.state, waits: describeWaits(run.def, run.state), effects: run.effects };
}

/** Opens a run on a copy of `state` (upgraded if stored by an older version) after checking it belongs to `def` and is still active. */
export function resumeRun(def: Definition, stored: FlowState, opts?: RunOptions): Run {
  const state = upgradeState(stored);
  if (state?.def !== def.hash) {
    throw new EngineError('definition-mismatch', `办件的流程版本（${state?.def}）与所给流程定义（${def.hash}）不一致，请使用办件启动时的版本`);
  }
  if (state.status !== 'active') throw new EngineError('not-active', `办件流程已结束（${state.status}）`);
  return new Run(def, structuredClone(state), HANDLERS, clock(opts), opts?.actor);
}

function takeWait(run: Run, waitId: string, kinds: WaitKind[]): WaitRecord {
  const wait = run.state.waits.find((w) => w.id === waitId);
  if (!wait) throw new EngineError('unknown-wait', `没有编号为 ${waitId} 的待办（可能已办结或已取消）`);
  if (!kinds.includes(wait.kind)) throw new EngineError('wrong-wait-kind', `待办 ${waitId} 是 ${wait.kind}，不能这样处理`, wait.element);
  return wait;
}

/**
 * Starts a case on `def` with the submitted variables.
 * @param opts.items linked items requested (ticked + mandatory): they start as `requested`
 * @param opts.messageName start through that message start event instead of the none start
 */
export function start(def: Definition, variables: Record<string, unknown>, opts: StartOptions = {}): StepResult {
  if (!isPlainObject(variables)) throw new EngineError('invalid-input', '流程变量必须是对象');
  const startId = opts.messageName ? def.starts.messages[opts.messageName] : def.starts.none;
  if (!startId) throw new EngineError('invalid-input', opts.messageName ? `流程没有消息「${opts.messageName}」的开始事件` : '流程没有空开始事件');
  const now = clock(opts);
  const state: FlowState = {
    version: FLOW_STATE_VERSION, def: def.hash, status: 'active', seq: 0, at: now, vars: structuredClone(variables),
    tokens: [], scopes: [{ id: 's0' }], waits: [], items: {}, history: [], incidents: [],
  };
  const run = new Run(def, state, HANDLERS, now, opts.actor);
  for (const key of opts.items ?? []) run.setItem(key, 'requested');
  run.log(startId, 'started');
  run.enter(run.newToken(startId, 's0'));
  run.settle();
  return result(run);
}

/**
 * Completes an open wait: a user task (with `outcome`, one of its allowed outcomes), a receive
 * task or message catch (after `correlate`), or a service task the server has finished.
 * Throws EngineError: definition-mismatch, not-active, unknown-wait, wrong-wait-kind, invalid-outcome.
 */
export function complete(def: Definition, state: FlowState, waitId: string, input: CompleteInput = {}, opts?: RunOptions): StepResult {
  if (input.variables !== undefined && !isPlainObject(input.variables)) throw new EngineError('invalid-input', '流程变量必须是对象');
  const run = resumeRun(def, state, opts);
  const wait = takeWait(run, waitId, ['userTask', 'receiveTask', 'messageCatch', 'serviceTask']);
  run.state.waits = run.state.waits.filter((w) => w !== wait);
  const tok = run.token(wait.token)!;
  const el = run.el(wait.element);
  HANDLERS[el.type].resume!(run, tok, el, wait, input);
  run.settle();
  return result(run);
}

/** Fires a due timer wait (intermediate timer or boundary timer). Refuses a timer not yet due at `opts.now`. */
export function fireTimer(def: Definition, state: FlowState, waitId: string, opts?: RunOptions): StepResult {
  const run = resumeRun(def, state, opts);
  const wait = takeWait(run, waitId, ['timer']);
  if (wait.due && Date.parse(run.now) < Date.parse(wait.due)) {
    throw new EngineError('invalid-input', `定时器 ${waitId} 尚未到期（到期时间 ${wait.due}）`, wait.element);
  }
  run.state.waits = run.state.waits.filter((w) => w !== wait);
  const el = run.el(wait.element);
  HANDLERS[el.type].resume!(run, run.token(wait.token)!, el, wait, {});
  run.settle();
  return result(run);
}

/**
 * The waits a message would complete: receive tasks and message catch events waiting for
 * `messageName` (narrowed by `variables.linkedItem` when given). The server then calls
 * `complete` on the one it picks; no match means the message is not expected now.
 */
export function correlate(def: Definition, stored: FlowState, messageName: string, variables: Record<string, unknown> = {}): Wait[] {
  const state = upgradeState(stored);
  if (state?.def !== def.hash || state.status !== 'active') return [];
  return describeWaits(def, state).filter(
    (w) => (w.kind === 'receiveTask' || w.kind === 'messageCatch') && w.messageName === messageName &&
      (typeof variables.linkedItem !== 'string' || w.linkedItem === variables.linkedItem),
  );
}

/**
 * Reports that the server could not do a service task. The error goes to the task's (or an
 * enclosing sub-process's) error boundary event matching `errorCode`; without one the case
 * gets an incident and the wait stays open, so the server may retry and `complete` it later.
 */
export function failServiceTask(def: Definition, state: FlowState, waitId: string, failure: { errorCode: string; message?: string }, opts?: RunOptions): StepResult {
  const run = resumeRun(def, state, opts);
  const wait = takeWait(run, waitId, ['serviceTask']);
  const tok = run.token(wait.token)!;
  run.log(wait.element, 'failed', { o: failure.errorCode, w: wait.id });
  if (!throwError(run, tok, failure.errorCode, true)) {
    run.incident(tok, 'service-failed', `服务任务 ${wait.element} 失败（${failure.errorCode}${failure.message ? '：' + failure.message : ''}），没有对应的错误边界事件`);
  }
  run.settle();
  return result(run);
}

/** Element ids where the case currently is (for `GET /cases/:id` `active`). */
export function activeElements(state: FlowState): string[] {
  return [...new Set(upgradeState(state).tokens.map((t) => t.element))];
}
