/**
 * The one path that advances a case by an engine step — submission (start), task completion,
 * a department system's message, a timer:
 *
 *   matter version → deployed definition → the caller's engine call → service tasks settled →
 *   changes for the case (tasks, items, status, timeline, outbox, timers, notifications) →
 *   saved in one transaction with the caller's own writes (audit record, timer marked fired).
 *
 * The update is guarded by the case's revision (`saveStep`): a concurrent change makes it throw
 * `RevisionConflict` with nothing written, and the caller's `mutateCase` reads the case again and
 * decides afresh. Timers a step cancels are marked in the same transaction, so a timer never
 * fires on a wait that was completed.
 */
import type { Definition, FlowState, StepResult } from '@lianban/runtime';
import type { ClientSession } from 'mongoose';
import type { MatterVersionDoc } from '../models';
import type { TimelineEntry } from '../models/cases';
import type { Services } from './assemble';
import { changesFor, type CaseChanges } from './case-flow';
import { insertStep, RevisionConflict, saveStep, type CaseWithId } from './case-store';
import { foldPending, pendingOf, type AuditRecord } from './step-effects';
import { audit } from './audit';
import { matterVersion } from './definitions';
import { systemDepartments } from './departments';
import { definitionFor, settleServiceTasks } from './flows';
import { countEngineStep } from '../http/metrics';
import { issueDueDocumentsLater } from './documents';
import { exchangeMark } from './exchange/records';
import { insertCaseLean, updateCaseLean } from './lean-writes';

/** What a caller makes of the case's flow: the engine's step and how to record it. */
export interface CaseStep {
  /** What the engine returned (service tasks it opened are completed by `advanceCase`). */
  step: StepResult;
  /** The case as the step should see it (e.g. the completed task marked done, the number given); the stored case when absent. */
  base?: CaseWithId;
  /** What happened, first in the timeline (before the tasks the step opened). */
  event?: TimelineEntry;
  /** Further fields written with the step (the validated application data, a task form's data). */
  set?: Record<string, unknown>;
  /** Adjusts the changes before they are saved (a submission's 容缺 task and notices). */
  amend?: (changes: CaseChanges, step: StepResult) => void;
  /** Writes that commit or fail with the step (the timer marked fired): the step is then saved in a transaction. */
  alsoWrite?: (session: ClientSession) => Promise<unknown>;
  /** The step's audit record: carried by the step's one document write (services/step-effects.ts). */
  audit?: AuditRecord;
  /** Insert `base` and `set` as a new case instead of updating the stored one at its revision. */
  insert?: boolean;
}

export interface AdvanceOptions {
  /** Who takes the step: the engine's history and the case's side documents name them. */
  actor: string;
  now: Date;
  /** The case's matter version when the caller already has it (it is cached either way). */
  matter?: MatterVersionDoc;
}

/**
 * Advances `doc` by the step `take` computes from the case's deployed definition and flow state
 * (null before the flow started), and saves it atomically; returns the changes saved. `take`
 * may refuse by throwing: nothing is written then.
 */
export async function advanceCase(
  { models, conn }: Services,
  doc: CaseWithId,
  opts: AdvanceOptions,
  take: (def: Definition, state: FlowState | null) => CaseStep | Promise<CaseStep>,
): Promise<CaseChanges> {
  const { plan, changes, mark, base } = await prepareStep({ models, conn }, doc, opts, take);
  if (!plan.alsoWrite) {
    // One document write for the step and everything it causes; then its side documents are
    // folded into their collections (services/step-effects.ts) before the caller answers.
    const pending = await pendingOf(models, plan.insert ? base : doc, changes, plan.audit, opts.now);
    if (plan.insert) {
      const full = { ...base, ...plan.set, ...mark, ...changes.set, timeline: [...base.timeline, ...changes.timeline], rev: 1, pending };
      await insertCaseLean(models, full);
    } else {
      const matched = await updateCaseLean(models,
        { _id: doc._id, rev: doc.rev },
        { $set: { ...changes.set, ...plan.set, ...mark, pending }, $push: { timeline: { $each: changes.timeline } }, $inc: { rev: 1 } },
      );
      if (matched === 0) throw new RevisionConflict();
    }
    await foldPending(models, doc._id, pending);
  } else if (plan.insert) {
    await insertStep(models, conn, { ...base, ...plan.set, ...mark } as CaseWithId, changes, plan.alsoWrite && (async (s) => { await plan.alsoWrite!(s); }));
  } else {
    // The step and the caller's writes commit together (one durable write instead of two).
    await conn.transaction(async (session) => {
      await saveStep(models, conn, doc, changes, { ...plan.set, ...mark }, session);
      await plan.alsoWrite?.(session);
      if (plan.audit) await audit(models, plan.audit.actor, plan.audit.action, plan.audit.target, plan.audit.details, session);
    });
  }
  afterStep({ models, conn }, doc, changes);
  return changes;
}

/** What a step will write: computed, nothing written yet (`advanceCase`, or a caller committing it itself: case-number-commit.ts). */
export interface PreparedStep { plan: CaseStep; changes: CaseChanges; mark: Record<string, unknown>; base: CaseWithId }

/** The engine step `take` computes and the changes it makes to `doc`; writes nothing. */
export async function prepareStep(
  { models }: Services,
  doc: CaseWithId,
  opts: AdvanceOptions,
  take: (def: Definition, state: FlowState | null) => CaseStep | Promise<CaseStep>,
): Promise<PreparedStep> {
  const matter = opts.matter ?? await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
  const def = await definitionFor(matter.flow);
  const plan = await take(def, doc.flow.state as unknown as FlowState | null);
  const now = opts.now.toISOString();
  const step = settleServiceTasks(def, plan.step, opts.actor, now);
  const base = plan.base ?? doc;
  const changes = changesFor(base, step, { actor: opts.actor, now: opts.now, caseId: String(doc._id), systemDepartments: await systemDepartments(models, doc.tenant) });
  if (plan.event) changes.timeline.unshift(plan.event);
  plan.amend?.(changes, step);
  // 省级数据交换: 受理 or a 办结 marks the case for the exchange's collector, in the same write (services/exchange/records.ts)
  const mark = exchangeMark(doc, changes);
  return { plan, changes, mark: mark as Record<string, unknown>, base };
}

/** After a step is durable: counted, and the documents it makes due issued (not awaited). */
export function afterStep({ models, conn }: Services, doc: CaseWithId, changes: CaseChanges): void {
  countEngineStep();
  // The decision or 办结通知书 when the case ends: after the commit, not awaited. The 受理回执 is not
  // made here — a PDF costs 0.1–0.3 s of CPU and every submission would pay it on the hot path —
  // but at its first reading (`GET /cases/:id/documents` issues what is due), dated by the submission.
  const ended = changes.set.status === 'completed' || changes.set.status === 'rejected';
  // 出具文书 by a step (`lb:issueDocument`): its task just completed
  const before = new Map(doc.tasks.map((t) => [t.id, t.state]));
  const issuing = (changes.set.tasks ?? []).some((t) => t.issueDocument && t.state === 'done' && before.get(t.id) !== 'done');
  if ((ended && changes.set.status !== doc.status) || issuing) issueDueDocumentsLater({ models, conn }, String(doc._id));
}
