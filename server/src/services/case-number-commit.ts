/**
 * A submission in ONE commit (issue #24): the case number is taken inside the transaction that
 * stores the case and its side documents (audit record, notifications, outbox, timers), so a
 * submission waits for one journal commit instead of three in a row (the counter's, the case's,
 * then the side documents' fold).
 *
 *   const { no, value } = await commitNumbered(models, conn, tenant, now, matter,
 *     async (no) => ({ write: { insert: leanCase, effects }, value }));   // build: pure, may run again
 *
 * The counter document of a city and day is written by every submission of that city: inside a
 * transaction it is held from its `$inc` to the commit, and a second transaction writing it fails
 * with WriteConflict (first writer wins, in MongoDB as in embedded-db). So the submissions of one
 * counter waiting in this process at the same moment share one transaction (group commit): one
 * `$inc` by their number, one `insertMany` of the cases, one per side collection, one commit —
 * under load many submissions per round trip and per fsync. The next batch starts when the commit
 * is answered; meanwhile the waiting ones queue. Another process's batch on the same counter
 * conflicts: the batch is then retried with its numbers taken by a plain `$inc` BEFORE its
 * transaction (which then writes only new documents and cannot meet the other process there), and
 * so are this counter's batches for the next CONTENDED_MS — two commits in a row instead of one,
 * but no retry storm between processes sharing a city. Nothing is acknowledged before its commit
 * is durable.
 *
 * Numbers: a submission whose `build` refuses takes none (the transaction is aborted and the
 * others are numbered again without it) — except in a batch numbered before its transaction
 * (contended), where the refused one's number stays unused; under a custom format a number
 * already given (under an earlier format) is skipped. A write the database refuses (a duplicate
 * Idempotency-Key, a draft's revision moved on) fails the batch, which is then committed one
 * submission at a time so only the offender gets the error (a contended batch's numbers are then
 * spent: a gap, as a failed submission left before one-commit submissions).
 */
import { AsyncResource } from 'node:async_hooks';
import type mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import type { Models } from '../models';
import { caseNoScheme } from './case-numbers';
import { DomainError, RevisionConflict } from './errors';
import type { PendingEffects } from './step-effects';
import { updateCaseLean } from './lean-writes';

type Raw = Record<string, unknown>;
type CaseUpdate = Parameters<typeof updateCaseLean>[2];

/** What one numbered submission writes. */
export interface NumberedWrite {
  /** A new case as stored (lean-writes.ts `leanDocument`), inserted with the batch. */
  insert?: Raw;
  /** A stored draft updated at its revision (0 matched: RevisionConflict). */
  update?: { filter: { _id: unknown; rev: number }; update: CaseUpdate };
  /** The side documents, written in the same commit. */
  effects: PendingEffects;
}

type Build<T> = (no: string) => Promise<{ write: NumberedWrite; value: T }>;

interface Entry {
  build: Build<unknown>;
  resolve: (v: { no: string; value: unknown }) => void;
  reject: (err: unknown) => void;
}

/** The most submissions one transaction carries. */
const MAX_BATCH = 64;
/**
 * Conflicts with another process's transaction on the counter: retried this often at most, after
 * a random wait growing to 50 ms (about 1.5 s in all: a busy process holds the counter for its
 * batch's few round trips, and an immediate retry would meet it again).
 */
const MAX_ATTEMPTS = 20;
const backoffMs = (attempt: number) => Math.random() * Math.min(50, 2 * 2 ** attempt);
/** After a conflict with another process, this counter's batches are numbered before their transaction for this long. */
const CONTENDED_MS = 10_000;
const contended = new WeakMap<Models, Map<string, number>>();

interface Queue { waiting: Entry[]; scheme: Awaited<ReturnType<typeof caseNoScheme>>; tenant: string }
const queues = new WeakMap<Models, Map<string, Queue>>();

/** How many transactions and submissions went through (tests: batches really share a commit). */
export const numberedCommitCounts = { transactions: 0, submissions: 0, conflicts: 0, numberedFirst: 0 };

/**
 * Takes the next case number of the city and commits what `build(no)` makes of it in one
 * transaction (with the other submissions of the same counter waiting now). `build` must write
 * nothing itself: it may be called again with another number when the batch is retried.
 */
export async function commitNumbered<T>(models: Models, conn: Connection, tenant: string, now: Date, matter: { key: string; shortCode?: string }, build: Build<T>): Promise<{ no: string; value: T }> {
  const scheme = await caseNoScheme(models, tenant, now, matter);
  let byKey = queues.get(models);
  if (!byKey) queues.set(models, (byKey = new Map()));
  const key = `${tenant}\0${scheme.stem}`;
  return new Promise((resolve, reject) => {
    // the request's own context (its request id for the audit record) whichever request runs the batch
    const entry: Entry = { build: AsyncResource.bind(build) as Build<unknown>, resolve: resolve as Entry['resolve'], reject };
    const q = byKey.get(key);
    if (q) { q.waiting.push(entry); return; }
    const fresh: Queue = { waiting: [entry], scheme, tenant };
    byKey.set(key, fresh);
    void drain(models, conn, byKey, key, fresh);
  });
}

async function drain(models: Models, conn: Connection, byKey: Map<string, Queue>, key: string, q: Queue): Promise<void> {
  let since = contended.get(models);
  if (!since) contended.set(models, (since = new Map()));
  while (q.waiting.length) await runBatch(models, conn, q, q.waiting.splice(0, MAX_BATCH), since, key);
  byKey.delete(key);
}

const transient = (err: unknown) => !!(err as { hasErrorLabel?: (l: string) => boolean }).hasErrorLabel?.('TransientTransactionError');

/** Commits `entries` together; settles every one of them (never throws). */
async function runBatch(models: Models, conn: Connection, q: Queue, entries: Entry[], since: Map<string, number>, key: string): Promise<void> {
  for (let attempt = 0; entries.length; attempt++) {
    const early = (since.get(key) ?? 0) > Date.now();
    try {
      entries = await commitOnce(models, conn, q, entries, early);
    } catch (err) {
      if (transient(err) && attempt < MAX_ATTEMPTS - 1) {
        numberedCommitCounts.conflicts++;
        // another process holds the counter in its transaction: number before ours from now on
        since.set(key, Date.now() + CONTENDED_MS);
        if (early) await new Promise((r) => setTimeout(r, backoffMs(attempt)));
        continue;
      }
      if (!transient(err) && entries.length > 1) {
        // one of them was refused by the database: each alone, so only that one fails
        for (const e of entries) await runBatch(models, conn, q, [e], since, key);
        return;
      }
      const out = transient(err) ? new DomainError('try-again', '系统繁忙，本次提交未生效，请稍后重试') : err;
      for (const e of entries) e.reject(out);
      return;
    }
  }
}

/**
 * One transaction for `entries`: numbers, builds, writes, commit. Returns the entries still to
 * commit (those left when some `build` refused: numbered again without the refused), [] when done.
 * `early`: the numbers are taken by a plain `$inc` before the transaction (the counter contended).
 */
async function commitOnce(models: Models, conn: Connection, q: Queue, entries: Entry[], early: boolean): Promise<Entry[]> {
  const taken = early ? await takeNumbers(models, q, entries.length) : undefined;
  if (taken) numberedCommitCounts.numberedFirst++;
  const session = conn.getClient().startSession();
  try {
    session.startTransaction();
    let nos = taken ?? await takeNumbers(models, q, entries.length, session);
    const built = await Promise.allSettled(entries.map((e, i) => e.build(nos[i]!)));
    if (built.some((b) => b.status === 'rejected')) {
      built.forEach((b, i) => { if (b.status === 'rejected') entries[i]!.reject(b.reason); });
      const kept = (_: unknown, i: number) => built[i]!.status === 'fulfilled';
      if (!taken) {
        await session.abortTransaction();
        return entries.filter(kept);
      }
      // numbered before the transaction: the others keep their numbers (the refused ones' stay unused)
      entries = entries.filter(kept);
      nos = nos.filter(kept);
      built.splice(0, built.length, ...built.filter(kept));
      if (!entries.length) { await session.abortTransaction(); return []; }
    }
    const done = built.map((b) => (b as PromiseFulfilledResult<Awaited<ReturnType<Build<unknown>>>>).value);
    const inserts = done.flatMap((d) => (d.write.insert ? [d.write.insert] : []));
    // one alone by insertOne: a duplicate key then fails as the driver's error with its keyPattern (submission.ts replays an Idempotency-Key)
    if (inserts.length === 1) await models.Case.collection.insertOne(inserts[0]!, { session });
    else if (inserts.length) await models.Case.collection.insertMany(inserts, { session, ordered: true });
    for (const d of done) {
      if (!d.write.update) continue;
      if (await updateCaseLean(models, d.write.update.filter, d.write.update.update, session) === 0) throw new RevisionConflict();
    }
    await writeEffects(models, done.map((d) => d.write.effects), session);
    await session.commitTransaction();
    numberedCommitCounts.transactions++;
    numberedCommitCounts.submissions += entries.length;
    done.forEach((d, i) => entries[i]!.resolve({ no: nos[i]!, value: d.value }));
    return [];
  } catch (err) {
    if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
    throw err;
  } finally {
    // after a commit the outcome is settled: ending the session may not make it fail
    await session.endSession().catch(() => undefined);
  }
}

/** `n` numbers from the counter, in the transaction or (no session) on their own (a custom format skips numbers already given; bounded). */
async function takeNumbers(models: Models, q: Queue, n: number, session?: mongoose.mongo.ClientSession): Promise<string[]> {
  const out: string[] = [];
  for (let round = 0; out.length < n; round++) {
    const want = n - out.length;
    const counter = await models.Counter.collection.findOneAndUpdate({ _id: q.scheme.stem as never }, { $inc: { seq: want } }, { upsert: true, returnDocument: 'after', session });
    const last = (counter as { seq: number } | null)!.seq;
    const candidates = Array.from({ length: want }, (_, i) => q.scheme.render(last - want + 1 + i));
    if (!q.scheme.custom || round >= 20) { out.push(...candidates); continue; }
    const given = await models.Case.collection.find({ tenant: q.tenant, no: { $in: candidates } }, { projection: { no: 1 }, session }).toArray();
    const taken = new Set(given.map((d) => d.no as string));
    out.push(...candidates.filter((c) => !taken.has(c)));
  }
  return out;
}

/** The side documents of the batch, one `insertMany` per collection touched, in the transaction. */
async function writeEffects(models: Models, sets: PendingEffects[], session: mongoose.mongo.ClientSession): Promise<void> {
  const all = <K extends 'outbox' | 'timers' | 'notifications' | 'audit'>(k: K) => sets.flatMap((s) => s[k]);
  const writes: [mongoose.Collection, Raw[]][] = [[models.Outbox.collection, all('outbox')], [models.Timer.collection, all('timers')], [models.Notification.collection, all('notifications')], [models.Audit.collection, all('audit')]];
  for (const [coll, docs] of writes) if (docs.length) await coll.insertMany(docs, { session, ordered: true });
  const cancels = sets.flatMap((s) => s.cancelTimers);
  if (cancels.length) {
    await models.Timer.collection.bulkWrite(cancels.map((c) => ({ updateOne: { filter: { caseId: c.caseId, waitId: c.waitId, firedAt: null }, update: { $set: { firedAt: new Date(0) } } } })), { session, ordered: true });
  }
}
