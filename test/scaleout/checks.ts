/**
 * What must hold in the database after the load, whatever was killed during it:
 * - every acknowledged (2xx) submission, claim and completion is there;
 * - no case is half-updated: its status, open tasks, flow waits and pending timers agree, and
 *   the side records of each step (audit, notification) were written with it;
 * - each timer fired exactly once (or was cancelled and never fired).
 */
import { upgradeState, type FlowState } from '@lianban/runtime';
import type { Models } from '@lianban/server';
import type { Acknowledged } from './load';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const TASK_WAITS = new Set(['userTask', 'receiveTask', 'messageCatch']);
const OPEN = new Set(['open', 'claimed']);

/** Problems of one case (empty when consistent). */
export function caseProblems(doc: any, pendingTimers: Set<string>, firedTimers: Map<string, number>): string[] {
  const p: string[] = [];
  // The stored shape may be an older version: read it as the engine does.
  const stored = doc.flow?.state as FlowState | null;
  const state = stored ? upgradeState(stored) : null;
  if (doc.status === 'draft') return state ? ['a draft with a flow state'] : [];
  if (!doc.no) p.push('submitted without a number');
  if (!state) return [...p, 'submitted without a flow state'];
  // status follows the engine
  const applicantWaiting = doc.tasks.some((t: any) => t.department === 'applicant' && OPEN.has(t.state));
  const expected = state.status === 'completed' ? 'completed' : state.status === 'rejected' ? 'rejected' : applicantWaiting ? 'needs-applicant' : 'in-progress';
  if (doc.status !== expected) p.push(`status ${doc.status}, engine says ${expected}`);
  if ((doc.status === 'completed' || doc.status === 'rejected') !== !!doc.endedAt) p.push('endedAt does not match the status');
  // each open task has its wait, each task wait has exactly one open task
  const waits = new Map(state.waits.map((w) => [w.id, w]));
  for (const t of doc.tasks) {
    if (t.kind === 'promise') continue;
    if (OPEN.has(t.state) && !waits.has(t.waitId)) p.push(`task ${t.name} is ${t.state} but the flow no longer waits for it`);
    if (t.state === 'claimed' && !t.claimedBy) p.push(`task ${t.name} claimed by nobody`);
    if (t.state === 'done' && !t.completedBy) p.push(`task ${t.name} done by nobody`);
  }
  for (const w of state.waits) {
    if (TASK_WAITS.has(w.kind)) {
      const n = doc.tasks.filter((t: any) => t.waitId === w.id && OPEN.has(t.state)).length;
      if (n !== 1) p.push(`the flow waits at ${w.element} with ${n} open tasks`);
    }
    if (w.kind === 'timer' && !pendingTimers.has(`${doc._id}/${w.id}`)) p.push(`the flow waits for timer ${w.element} but no pending timer record exists`);
  }
  // every pending timer belongs to a wait of the flow
  for (const key of pendingTimers) {
    const [caseId, waitId] = key.split('/');
    if (caseId === String(doc._id) && !waits.has(waitId!)) p.push(`a pending timer ${waitId} the flow does not wait for`);
  }
  // timer.fired in the timeline once per fired timer record
  const firedInTimeline = new Map<string, number>();
  for (const e of doc.timeline) if (e.action === 'timer.fired') firedInTimeline.set(e.detail, (firedInTimeline.get(e.detail) ?? 0) + 1);
  for (const [waitId, n] of firedInTimeline) {
    if (n !== 1) p.push(`timer ${waitId} fired ${n} times`);
    if (!firedTimers.has(`${doc._id}/${waitId}`)) p.push(`timer ${waitId} fired in the timeline but its record is not marked fired`);
  }
  for (const [key] of firedTimers) {
    const [caseId, waitId] = key.split('/');
    if (caseId === String(doc._id) && !firedInTimeline.has(waitId!)) p.push(`timer ${waitId} marked fired but never fired on the case`);
  }
  return p;
}

export interface TimerSummary {
  total: number;
  fired: number;
  cancelled: number;
  pending: number;
  /** Fired by which process (lease owner pid). */
  byPid: Record<string, number>;
  /** Fired while one process was dead (due in the window it was down). */
  dueWhileDead: number;
}

export async function checkDatabase(models: Models, ack: Acknowledged, opts: { demoMatters: string[]; deadWindow?: [number, number]; loadMatters: string[] }): Promise<{ checks: Check[]; timers: TimerSummary; cases: number }> {
  const checks: Check[] = [];
  const cases = await models.Case.find({}).lean() as any[];
  const byId = new Map(cases.map((c) => [String(c._id), c]));
  const timers = await models.Timer.find({}).lean();
  const pending = new Set<string>();
  const fired = new Map<string, number>();
  const summary: TimerSummary = { total: timers.length, fired: 0, cancelled: 0, pending: 0, byPid: {}, dueWhileDead: 0 };
  for (const t of timers) {
    const key = `${t.caseId}/${t.waitId}`;
    if (t.firedAt === null) { pending.add(key); summary.pending++; }
    else if (t.firedAt.getTime() === 0) summary.cancelled++;
    else {
      fired.set(key, t.firedAt.getTime());
      summary.fired++;
      const pid = String(t.leaseOwner ?? '?').split('-')[0]!;
      summary.byPid[pid] = (summary.byPid[pid] ?? 0) + 1;
      if (opts.deadWindow && t.dueAt.getTime() >= opts.deadWindow[0] && t.dueAt.getTime() <= opts.deadWindow[1]) summary.dueWhileDead++;
    }
  }

  // 1. demo data seeded once although three processes started together on the empty database
  const versions = await models.MatterVersion.find({}).lean();
  const demo = versions.filter((v) => opts.demoMatters.includes(`${v.tenant}/${v.key}`));
  const seededTwice = demo.filter((v) => v.version !== 1).map((v) => `${v.tenant}/${v.key}@${v.version}`);
  const users = await models.User.find({}).lean();
  const dupUsers = users.length - new Set(users.map((u) => u.username)).size;
  checks.push({
    name: 'demo data seeded once by three processes starting together',
    ok: seededTwice.length === 0 && demo.length === opts.demoMatters.length && dupUsers === 0,
    detail: `${demo.length} shipped matter versions (expected ${opts.demoMatters.length}, all version 1${seededTwice.length ? `; also ${seededTwice.join(', ')}` : ''}), ${users.length} accounts`,
  });

  // 2. every acknowledged submission is stored, numbered and started
  const missing: string[] = [];
  const audits = await models.Audit.find({ action: 'case.submit' }).lean();
  const submitAudits = new Map<string, number>();
  for (const a of audits) submitAudits.set(a.target!, (submitAudits.get(a.target!) ?? 0) + 1);
  const accepted = await models.Notification.find({ kind: 'accepted' }).lean();
  const acceptedFor = new Set(accepted.map((n) => n.caseId));
  for (const c of ack.cases) {
    const doc = byId.get(c.id);
    if (!doc) missing.push(`${c.no}: not in the database`);
    else if (doc.no !== c.no) missing.push(`${c.no}: stored as ${doc.no}`);
    else if (doc.status === 'draft' || !doc.flow?.state) missing.push(`${c.no}: not started`);
    else if (submitAudits.get(`case:${c.no}`) !== 1) missing.push(`${c.no}: ${submitAudits.get(`case:${c.no}`) ?? 0} audit records`);
    else if (!acceptedFor.has(c.id)) missing.push(`${c.no}: no acceptance notification`);
  }
  const numbers = cases.filter((c) => c.no).map((c) => `${c.tenant}/${c.no}`);
  checks.push({
    name: 'every 201 submission is in the database (number, flow, audit, notification)',
    ok: missing.length === 0 && new Set(numbers).size === numbers.length,
    detail: `${ack.cases.length} acknowledged, ${missing.length} missing${missing.length ? ': ' + missing.slice(0, 5).join('; ') : ''}; case numbers unique: ${new Set(numbers).size === numbers.length}`,
  });

  // 2b. and no application was filed that its client does not know of (each retry of a lost
  // answer carried the first attempt's Idempotency-Key)
  const acked = new Set(ack.cases.map((c) => c.id));
  const unknown = cases.filter((c) => opts.loadMatters.includes(c.matter.key) && !acked.has(String(c._id)));
  checks.push({
    name: 'no case stored that its client was not told of (retries with an Idempotency-Key)',
    ok: unknown.length === 0,
    detail: `${unknown.length} stored without an acknowledgement${unknown.length ? ': ' + unknown.slice(0, 5).map((c) => c.no).join(', ') : ''}; ${ack.retried} submissions retried, ${ack.replayed} of them answered with the case the first attempt had stored`,
  });

  // 3. every acknowledged claim and completion is in the database, with its audit record
  const lost: string[] = [];
  const completeAudits = await models.Audit.find({ action: 'task.complete' }).lean();
  const auditedBy = new Set(completeAudits.map((a) => `${a.target}|${a.actor}`));
  const claimAudits = new Set((await models.Audit.find({ action: 'task.claim' }).lean()).map((a) => `${a.target}|${a.actor}`));
  for (const c of ack.claims) {
    const doc = byId.get(c.caseId);
    const task = doc?.tasks.find((t: any) => t.id === c.taskId);
    const inTimeline = doc?.timeline.some((e: any) => e.action === 'task.claimed' && e.actor === c.user && e.elementId === task?.elementId);
    if (!task || !inTimeline) lost.push(`claim of ${c.taskId} by ${c.user}`);
    else if (task.state === 'claimed' && task.claimedBy !== c.user) lost.push(`claim of ${c.taskId} by ${c.user}: claimed by ${task.claimedBy}`);
    else if (!claimAudits.has(`task:${c.taskId}|${c.user}`)) lost.push(`claim of ${c.taskId} by ${c.user}: no audit record`);
  }
  for (const c of ack.completions) {
    const doc = byId.get(c.caseId);
    const task = doc?.tasks.find((t: any) => t.id === c.taskId);
    if (!task || task.state !== 'done' || task.completedBy !== c.user) lost.push(`completion of ${c.taskId} by ${c.user}: ${task?.state}/${task?.completedBy}`);
    else if (!auditedBy.has(`case:${doc.no}|${c.user}`)) lost.push(`completion of ${c.taskId} by ${c.user}: no audit record`);
  }
  checks.push({
    name: 'every 200 claim and completion is in the database, with its audit record',
    ok: lost.length === 0,
    detail: `${ack.claims.length} claims, ${ack.completions.length} completions acknowledged, ${lost.length} lost${lost.length ? ': ' + lost.slice(0, 5).join('; ') : ''}`,
  });

  // 4. no case half-updated
  const broken: string[] = [];
  for (const doc of cases) {
    const problems = caseProblems(doc, pending, fired);
    if (problems.length) broken.push(`${doc.no ?? doc._id}: ${problems.join(', ')}`);
  }
  checks.push({
    name: 'no case half-updated (status, tasks, flow waits and timers agree)',
    ok: broken.length === 0,
    detail: `${cases.length} cases checked, ${broken.length} inconsistent${broken.length ? ': ' + broken.slice(0, 5).join('; ') : ''}`,
  });

  // 5. every due timer fired exactly once (the per-case part is in caseProblems)
  const overdue = timers.filter((t) => t.firedAt === null && t.dueAt.getTime() < Date.now() - 1000);
  checks.push({
    name: 'each due timer fired exactly once',
    ok: overdue.length === 0 && summary.fired > 0 && broken.every((b) => !/timer/.test(b)),
    detail: `${summary.total} timers: ${summary.fired} fired (by process ${Object.entries(summary.byPid).map(([pid, n]) => `${pid}: ${n}`).join(', ')}), ${summary.cancelled} cancelled by a completion first, ${summary.pending} not yet due, ${overdue.length} overdue; ${summary.dueWhileDead} came due while a process was dead`,
  });
  return { checks, timers: summary, cases: cases.length };
}
