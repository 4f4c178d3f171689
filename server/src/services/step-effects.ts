/**
 * A case step in one document write (issue #24): the case carries the step's side documents —
 * outbox items, timers (new and cancelled), notifications, its audit record — as `pending`,
 * written in the same revision-guarded update as the step (or with the new case), so the step and
 * everything it causes are durable together without a multi-document transaction. They are then
 * folded out into their collections before the request is answered (so whoever reads them next
 * sees them), by one `insertMany` per collection shared by all the steps waiting at that moment
 * (group commit: under load many steps share each round trip), and the case's `pending` is
 * cleared later, batched, off the answer's path.
 *
 * Folding is idempotent: every side document has its `_id` from the start (a timer its unique
 * case + wait), so a fold repeated — by the next step of the case, which carries the uncleared
 * `pending` over, or by `sweepPending` on any process (the scheduler's tick) after a process
 * died between the write and the fold — inserts nothing twice. A cancelled timer is marked
 * fired at the epoch by its fold; until then the scheduler's check that the flow still waits for
 * it (scheduler.ts) keeps it from firing on the completed wait.
 *
 * The documents are built and validated by their mongoose models when the step is computed (a
 * bad one refuses the step, as an insert in a transaction did) and written by the driver.
 */
import mongoose from 'mongoose';
import type { Models } from '../models';
import type { CaseChanges } from './case-flow';
import type { CaseWithId } from './case-store';
import type { Actor } from './audit';
import { currentRequestId } from '../http/request-context';
import { log as logger } from '../log';
import { leanDocument } from './lean-writes';

type Raw = Record<string, unknown>;
/** What is used of a side collection's model: building a validated document, the driver's collection. */
interface SideModel {
  new (doc: Raw): { validate(): Promise<void>; toObject(options: object): unknown };
  collection: mongoose.Collection;
  schema: unknown;
}

/** What a step leaves to fold into the side collections. */
export interface PendingEffects {
  /** Names this set (the cleanup clears the case's `pending` only while it is still this one). */
  id: string;
  /** When the oldest of them was written (the sweep takes those older than SWEEP_AFTER_MS). */
  at: Date;
  outbox: Raw[];
  timers: Raw[];
  cancelTimers: { caseId: string; waitId: string }[];
  notifications: Raw[];
  audit: Raw[];
}

/** An audit record as `audit()` writes it, for a step to carry. */
export interface AuditRecord { actor: Actor; action: string; target?: string; details?: Record<string, unknown> }

/** A pending set left on a case this long is folded by the sweep (a process died before folding it). */
export const SWEEP_AFTER_MS = 3_000;
/** The cleanup of folded cases waits this long to clear many at once. */
const CLEANUP_DELAY_MS = 100;
const BATCH = 500;

/** A validated document of `model` with its defaults and `_id`, as plain data. */
async function built(model: SideModel, doc: Raw): Promise<Raw> {
  // checked against the schema without a mongoose document when nothing needs casting (lean-writes.ts)
  const lean = leanDocument<Raw>(model, doc);
  if (lean) return lean;
  const d = new model(doc);
  await d.validate();
  return d.toObject({ depopulate: true, versionKey: false }) as Raw;
}

/**
 * The side documents of `changes` (and the step's audit record) for the case `doc`, validated,
 * after those of an earlier step not cleared yet (`doc.pending`: folded again, harmlessly).
 */
export async function pendingOf(models: Models, doc: CaseWithId, changes: CaseChanges, audit: AuditRecord | undefined, now: Date): Promise<PendingEffects> {
  const tenant = doc.tenant;
  const caseId = String(doc._id);
  const earlier = (doc as { pending?: PendingEffects | null }).pending ?? null;
  const own: PendingEffects = {
    id: new mongoose.Types.ObjectId().toHexString(),
    at: earlier?.at ?? now,
    outbox: await Promise.all(changes.outbox.map((o) => built(models.Outbox, { ...o, tenant }))),
    timers: await Promise.all(changes.timers.map((t) => built(models.Timer, { ...t, tenant }))),
    cancelTimers: changes.cancelTimers.map((waitId) => ({ caseId, waitId })),
    notifications: await Promise.all(changes.notifications.map((n) => built(models.Notification, { ...n, tenant, user: doc.applicant }))),
    audit: audit ? [await built(models.Audit, { tenant: audit.actor.tenant, at: new Date(), actor: audit.actor.name, action: audit.action, target: audit.target, ip: audit.actor.ip, requestId: currentRequestId(), details: audit.details })] : [],
  };
  if (!earlier) return own;
  return {
    ...own,
    outbox: [...earlier.outbox, ...own.outbox],
    timers: [...earlier.timers, ...own.timers],
    cancelTimers: [...earlier.cancelTimers, ...own.cancelTimers],
    notifications: [...earlier.notifications, ...own.notifications],
    audit: [...earlier.audit, ...own.audit],
  };
}

/** Inserts `docs`, those already there (a fold repeated) skipped. */
async function insertNew(model: SideModel, docs: Raw[]): Promise<void> {
  if (!docs.length) return;
  try {
    await model.collection.insertMany(docs, { ordered: false });
  } catch (err) {
    const e = err as { code?: number; writeErrors?: { code?: number }[] | { code?: number } };
    const errors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [e];
    if (!errors.length || errors.some((w) => w.code !== 11000)) throw err;
  }
}

/** Writes the side documents of `sets` (any number of steps, any cases): one round trip per collection touched. */
async function writeEffects(models: Models, sets: PendingEffects[]): Promise<void> {
  const all = <K extends 'outbox' | 'timers' | 'notifications' | 'audit'>(k: K) => sets.flatMap((s) => s[k]);
  await Promise.all([
    insertNew(models.Outbox, all('outbox')),
    insertNew(models.Timer, all('timers')),
    insertNew(models.Notification, all('notifications')),
    insertNew(models.Audit, all('audit')),
  ]);
  const cancels = sets.flatMap((s) => s.cancelTimers);
  if (cancels.length) {
    await models.Timer.collection.bulkWrite(cancels.map((c) => ({ updateOne: { filter: { caseId: c.caseId, waitId: c.waitId, firedAt: null }, update: { $set: { firedAt: new Date(0) } } } })), { ordered: false });
  }
}

interface Waiting { caseId: unknown; effects: PendingEffects; resolve: () => void }

class Folder {
  private queue: Waiting[] = [];
  private running = false;
  private cleanup: { caseId: unknown; id: string }[] = [];
  private cleanupTimer: NodeJS.Timeout | null = null;
  private idle: (() => void)[] = [];

  constructor(private models: Models) {}

  /** Resolves once `effects` are in their collections, or left for the sweep when that failed (never rejects: the step is durable either way). */
  fold(caseId: unknown, effects: PendingEffects): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ caseId, effects, resolve });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, BATCH);
      try {
        await writeEffects(this.models, batch.map((w) => w.effects));
        this.cleanup.push(...batch.map((w) => ({ caseId: w.caseId, id: w.effects.id })));
        this.cleanupTimer ??= setTimeout(() => void this.clear(), CLEANUP_DELAY_MS);
        this.cleanupTimer.unref?.();
      } catch (err) {
        logger.warn({ component: 'step-effects', err: (err as Error).message }, 'side documents not folded yet: the sweep will');
      }
      for (const w of batch) w.resolve();
    }
    this.running = false;
    for (const f of this.idle.splice(0)) f();
  }

  /** Clears `pending` of the cases folded (those that moved on meanwhile keep theirs: the next fold or the sweep clears it). */
  private async clear(): Promise<void> {
    this.cleanupTimer = null;
    const done = this.cleanup.splice(0);
    if (!done.length) return;
    await this.models.Case.collection.bulkWrite(
      done.map((d) => ({ updateOne: { filter: { _id: d.caseId as mongoose.Types.ObjectId, 'pending.id': d.id }, update: { $unset: { pending: '' } } } })),
      { ordered: false },
    ).catch((err: Error) => logger.warn({ component: 'step-effects', err: err.message }, 'pending side documents not cleared: the sweep will'));
  }

  /** Resolves when nothing is being folded. */
  settled(): Promise<void> {
    return this.running ? new Promise((r) => this.idle.push(r)) : Promise.resolve();
  }
}

const folders = new WeakMap<Models, Folder>();

function folderOf(models: Models): Folder {
  let f = folders.get(models);
  if (!f) folders.set(models, (f = new Folder(models)));
  return f;
}

/** Folds a step's side documents into their collections (shared round trips with the other steps waiting). */
export function foldPending(models: Models, caseId: unknown, effects: PendingEffects): Promise<void> {
  return folderOf(models).fold(caseId, effects);
}

/**
 * Folds what was left on cases for longer than SWEEP_AFTER_MS — a process died between a step's
 * write and its fold — and clears it; returns how many cases. Any process may run it (the
 * scheduler's tick does): folding twice writes nothing twice.
 */
export async function sweepPending(models: Models, now = Date.now(), limit = 200): Promise<number> {
  const docs = await models.Case.collection.find({ 'pending.at': { $lt: new Date(now - SWEEP_AFTER_MS) } }, { projection: { pending: 1 } }).limit(limit).toArray();
  await Promise.all(docs.map((d) => foldPending(models, d._id, d.pending as PendingEffects)));
  return docs.length;
}

/** Resolves once this process has no fold in progress (tests, shutdown). */
export function pendingSettled(models: Models): Promise<void> {
  return folders.get(models)?.settled() ?? Promise.resolve();
}
