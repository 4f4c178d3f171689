/**
 * Persisting a case step atomically: the case document (guarded by its revision) together with
 * its outbox items, timers and notifications, in one transaction. A concurrent change of the
 * same case makes the guarded update match nothing: the caller re-reads and decides again.
 */
import type { ClientSession, Connection } from 'mongoose';
import type { CaseDoc, Models } from '../models';
import type { CaseChanges } from './case-flow';
import { DomainError, RevisionConflict } from './errors';

export { RevisionConflict };

export type CaseWithId = CaseDoc & { _id: unknown };

/** Writes `changes` to the case at revision `rev` and the side documents, all or nothing. */
export async function saveStep(models: Models, conn: Connection, doc: CaseWithId, changes: CaseChanges, extraSet: Partial<CaseDoc> | Record<string, unknown> = {}, session?: ClientSession): Promise<number> {
  const run = async (s: ClientSession) => {
    const res = await models.Case.updateOne(
      { _id: doc._id, rev: doc.rev },
      { $set: { ...changes.set, ...extraSet }, $push: { timeline: { $each: changes.timeline } }, $inc: { rev: 1 } },
      { session: s },
    );
    if (res.matchedCount === 0) throw new RevisionConflict();
    await writeSideDocuments(models, doc, changes, s);
  };
  if (session) await run(session);
  else await conn.transaction(run);
  return doc.rev + 1;
}

async function writeSideDocuments(models: Models, doc: CaseWithId, changes: CaseChanges, s: ClientSession): Promise<void> {
  const tenant = doc.tenant;
  if (changes.outbox.length) await models.Outbox.insertMany(changes.outbox.map((o) => ({ ...o, tenant })), { session: s });
  if (changes.timers.length) await models.Timer.insertMany(changes.timers.map((t) => ({ ...t, tenant })), { session: s });
  // A cancelled timer is marked as fired at the epoch: the scheduler never takes it.
  for (const waitId of changes.cancelTimers) {
    await models.Timer.updateOne({ caseId: String(doc._id), waitId, firedAt: null }, { $set: { firedAt: new Date(0) } }, { session: s });
  }
  if (changes.notifications.length) {
    await models.Notification.insertMany(changes.notifications.map((n) => ({ ...n, tenant, user: doc.applicant })), { session: s });
  }
}

/** Inserts a new case (already at its first step) with its side documents, all or nothing. */
export async function insertStep(models: Models, conn: Connection, doc: CaseWithId, changes: CaseChanges, after?: (s: ClientSession) => Promise<void>): Promise<void> {
  await conn.transaction(async (s) => {
    const full = { ...doc, ...changes.set, timeline: [...doc.timeline, ...changes.timeline], rev: 1 };
    await models.Case.create([full as unknown as CaseDoc], { session: s });
    await writeSideDocuments(models, doc, changes, s);
    await after?.(s);
  });
}

/**
 * Reads the case, lets `decide` compute the change, and saves it; on a revision conflict it
 * reads again and lets `decide` look at the fresh case (which may now refuse, e.g. 409).
 */
export async function mutateCase<T>(models: Models, load: () => Promise<CaseWithId | null>, decide: (doc: CaseWithId) => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 0; ; i++) {
    const doc = await load();
    if (!doc) throw new DomainError('not-found', '办件或待办不存在');
    try {
      return await decide(doc);
    } catch (err) {
      const transient = err instanceof RevisionConflict || (err as { hasErrorLabel?: (l: string) => boolean }).hasErrorLabel?.('TransientTransactionError');
      if (!transient) throw err;
      // Nothing was written; the caller may simply send the same request again.
      if (i >= attempts - 1) throw new DomainError('try-again', '办件正被同时处理，本次操作未生效，请稍后重试');
      await new Promise((r) => setTimeout(r, Math.random() * 5 * (i + 1)));
    }
  }
}
