/**
 * The engine's data shapes. Everything here is plain JSON: a compiled `Definition` can be cached
 * and shipped, a `FlowState` lives inside the case document, and `Wait`/`Effect` tell the server
 * what to show, schedule and do.
 */

/** Linked-item status (BRIEF.md "Item status"). */
export type ItemStatus = 'requested' | 'in-progress' | 'done' | 'standalone' | 'not-applicable';

/** A problem found at deploy time: `element` names the culprit, `message` is Chinese, `code` English. */
export interface Problem {
  element?: string;
  type?: string;
  code: string;
  message: string;
}

/** BPMN element types the engine runs (short names, without the `bpmn:` prefix). */
export type ElementType =
  | 'startEvent' | 'endEvent' | 'intermediateCatchEvent' | 'intermediateThrowEvent' | 'boundaryEvent'
  | 'userTask' | 'serviceTask' | 'receiveTask' | 'task' | 'subProcess'
  | 'exclusiveGateway' | 'parallelGateway' | 'inclusiveGateway';

export type EventKind = 'none' | 'message' | 'error' | 'terminate' | 'timer';

/** A timer: exactly one of `duration` (ISO 8601, e.g. `PT2H`, `P5D`) or `date` (ISO date-time). */
export interface TimerSpec {
  duration?: string;
  date?: string;
  /** `workdays`: whole days of `duration` count official working days (chinese-days). */
  calendar?: 'workdays';
}

/** A FEEL expression compiled at deploy: its text and the variable names it reads (for caching). */
export interface FeelExpr {
  expr: string;
  vars: string[];
  /** Reads the clock (now(), today()) — never cached. */
  volatile?: boolean;
}

/** Our `lb:` extension attributes, as compiled. */
export interface LbAttrs {
  candidateGroups?: string[];
  /** FEEL expression for candidate groups (attribute starting with `=`), e.g. `=department`. */
  candidateGroupsExpr?: FeelExpr;
  formKey?: string;
  dueIn?: string;
  dueCalendar?: 'workdays';
  outcomes?: string[];
  /** outcome → item status, e.g. `not-eligible` → `standalone`. */
  outcomeItemStatus?: Record<string, ItemStatus>;
  linkedItem?: string;
  connector?: string;
  department?: string;
  itemStatus?: ItemStatus;
  caseResult?: 'completed' | 'rejected';
  payload?: FeelExpr;
  outcomeVariable?: string;
  /** `lb:noReturn="true"`: 退回 (return) may target this step but nothing before it. */
  noReturn?: boolean;
  /** `lb:issueDocument="<kind>"` on a user task: completing it issues the city's document of that kind. */
  issueDocument?: string;
}

export interface CompiledElement {
  id: string;
  type: ElementType;
  name?: string;
  /** Enclosing sub-process id; null at process level. */
  parent: string | null;
  incoming: string[];
  outgoing: string[];
  default?: string;
  event?: { kind: EventKind; messageName?: string; errorCode?: string; timer?: TimerSpec };
  attachedTo?: string;
  interrupting?: boolean;
  boundaries?: string[];
  /** Sub-process: its none start event. */
  start?: string;
  mi?: { collection: string; elementVariable?: string; completionCondition?: FeelExpr };
  lb: LbAttrs;
  /** Inclusive join: for each incoming flow, the elements from which that flow can still be reached. */
  upstream?: Record<string, string[]>;
}

export interface CompiledFlow {
  id: string;
  name?: string;
  source: string;
  target: string;
  condition?: FeelExpr;
  itemStatus?: ItemStatus;
  linkedItem?: string;
}

/** A deployed flow: plain JSON, safe to cache; `hash` identifies the version a case runs on. */
export interface Definition {
  format: 1;
  hash: string;
  processId: string;
  name?: string;
  elements: Record<string, CompiledElement>;
  flows: Record<string, CompiledFlow>;
  /** Process-level start events: the none start and message starts by message name. */
  starts: { none?: string; messages: Record<string, string> };
  /** Linked-item keys the flow mentions. */
  linkedItems: string[];
}

export interface DeployResult {
  definition?: Definition;
  problems: Problem[];
}

// ---- run-time state -------------------------------------------------------------------------

/** A token: where one thread of the case is. `resting` says why it rests there. */
export interface Token {
  id: string;
  /** The element the token is at. */
  element: string;
  /** Scope id (`s0` is the process). */
  scope: string;
  resting?: 'wait' | 'join' | 'sub' | 'mi' | 'incident';
  /** Join tokens: the flow they arrived on. */
  via?: string;
  /** Multi-instance bookkeeping: instance count, completed count. */
  mi?: { n: number; c: number };
}

export interface Scope {
  id: string;
  /** Sub-process element id (absent for the process scope). */
  element?: string;
  /** The token resting on the sub-process element in the parent scope. */
  token?: string;
}

export type WaitKind = 'userTask' | 'receiveTask' | 'messageCatch' | 'timer' | 'serviceTask';

/** A stored wait (compact; `describeWaits` expands it with the element's attributes). */
export interface WaitRecord {
  id: string;
  /** The token that waits. */
  token: string;
  element: string;
  kind: WaitKind;
  due?: string;
  /** Multi-instance: the instance's local variables (element variable, loopCounter). */
  loc?: Record<string, unknown>;
  /** Candidate groups evaluated when the wait opened (from an `=FEEL` lb:candidateGroups). */
  groups?: string[];
}

export interface HistoryEntry {
  at: string;
  el: string;
  /** What happened: started, completed (task/wait), timer, message, failed, error, ended, incident. */
  ev: 'started' | 'completed' | 'timer' | 'message' | 'failed' | 'error' | 'ended' | 'incident' | 'moved' | 'recalled' | 'cancelled' | 'retried' | 'migrated';
  o?: string;
  by?: string;
  w?: string;
}

export interface Incident {
  el: string;
  flow?: string;
  code: string;
  message: string;
  at: string;
  /** When a retry resolved it (run/retry.ts); an incident without it is open. */
  resolved?: string;
}

/** The version of the stored state shape this engine writes; `upgradeState` reads older ones. */
export const FLOW_STATE_VERSION = 2;

/**
 * The whole flow state of a case: small plain JSON, stored with the case document. Version 1
 * (`format: 1`, short keys `el`, `sc`, `st`, `tok`, `k`, `g`) is upgraded on read (state-upgrade.ts).
 */
export interface FlowState {
  version: typeof FLOW_STATE_VERSION;
  /** Hash of the definition the case started with. */
  def: string;
  /** `cancelled`: ended by `cancelCase` (撤回申请, 终止), no token left. */
  status: 'active' | 'completed' | 'rejected' | 'cancelled';
  seq: number;
  /** Start time (ISO). */
  at: string;
  vars: Record<string, unknown>;
  tokens: Token[];
  scopes: Scope[];
  waits: WaitRecord[];
  items: Record<string, ItemStatus>;
  history: HistoryEntry[];
  incidents: Incident[];
}

// ---- what the engine returns ----------------------------------------------------------------

/** Something the server must show or schedule. */
export interface Wait {
  id: string;
  kind: WaitKind;
  elementId: string;
  name?: string;
  candidateGroups?: string[];
  formKey?: string;
  dueAt?: string;
  outcomes?: string[];
  linkedItem?: string;
  messageName?: string;
  connector?: string;
  department?: string;
  /** `lb:issueDocument`: the document kind completing this task issues. */
  issueDocument?: string;
  /** Timer waits on a boundary: the activity they guard, and whether firing cancels it. */
  attachedTo?: string;
  interrupting?: boolean;
  /** Multi-instance user task: the instance's local variables. */
  instance?: Record<string, unknown>;
}

/** Something the server must do. */
export type Effect =
  | { type: 'push'; waitId: string; elementId: string; connector?: string; department?: string; linkedItem?: string; payload: unknown }
  | { type: 'message'; messageName: string; elementId: string; payload: unknown }
  | { type: 'itemStatus'; linkedItem: string; status: ItemStatus; elementId?: string }
  | { type: 'caseEnded'; status: 'completed' | 'rejected' }
  | { type: 'cancelled'; waitId: string; elementId: string }
  | { type: 'incident'; elementId: string; flowId?: string; code: string; message: string };

export interface StepResult {
  state: FlowState;
  waits: Wait[];
  effects: Effect[];
}

export interface RunOptions {
  /** ISO date-time; the engine's clock (defaults to the real clock). */
  now?: string;
  /** Who acted (recorded in history). */
  actor?: string;
}

export interface StartOptions extends RunOptions {
  /** Linked items the applicant requested (ticked) and the mandatory ones; start as `requested`. */
  items?: string[];
  /** Start through the message start event of this message name instead of the none start. */
  messageName?: string;
}

export interface CompleteInput {
  outcome?: string;
  variables?: Record<string, unknown>;
}
