/**
 * Multi-document transactions with snapshot isolation. A transaction reads the store as of its
 * start (`snapshotTs`) plus its own writes, which it keeps aside (`writes`, `ops`) until commit.
 * Writing a document that another transaction has written (uncommitted), or that anyone
 * committed after our snapshot, fails at once with WriteConflict (112) and the
 * TransientTransactionError label — first writer wins, as in MongoDB. Commit applies all ops
 * as one atomic commit (one journal record).
 */
import type { Document } from 'bson';
import { CommandError, Codes, writeConflict } from '../errors';
import { keyOf } from '../storage/keys';
import type { Op, Store } from '../storage/store';

export type TxnState = 'active' | 'committed' | 'aborted';

export class Transaction {
  state: TxnState = 'active';
  /** Own writes: namespace → id key → new document (null: deleted). */
  readonly writes = new Map<string, Map<string, Document | null>>();
  readonly ops: Op[] = [];
  readonly startedAt = Date.now();
  /** Resolves when the transaction commits or aborts (non-transactional writers wait on it). */
  readonly done: Promise<void>;
  finish!: () => void;
  /** Why it was aborted, when it was aborted by us rather than by the client. */
  abortReason?: string;

  constructor(
    readonly sessionKey: string,
    readonly number: number,
    readonly snapshotTs: number,
  ) {
    this.done = new Promise((r) => (this.finish = r));
  }

  /** Own write of (ns, id): undefined when the transaction has not touched it. */
  own(ns: string, id: string): Document | null | undefined {
    return this.writes.get(ns)?.get(id);
  }
}

/** All open transactions and the document locks they hold. */
export class Transactions {
  readonly active = new Set<Transaction>();
  private readonly locks = new Map<string, Transaction>();

  constructor(private readonly store: Store) {
    store.oldestSnapshot = () => {
      let min = Infinity;
      for (const t of this.active) min = Math.min(min, t.snapshotTs);
      return min;
    };
  }

  begin(sessionKey: string, number: number): Transaction {
    const txn = new Transaction(sessionKey, number, this.store.ts);
    this.active.add(txn);
    return txn;
  }

  /** The transaction holding (ns, id), if any. */
  holder(ns: string, id: string): Transaction | undefined {
    return this.locks.get(ns + '\0' + id);
  }

  /** Records a write of `txn` (doc null: delete), after checking for conflicts. */
  write(txn: Transaction, ns: string, id: string, doc: Document | null, insert: boolean, idValue: unknown): void {
    const lockKey = ns + '\0' + id;
    const holder = this.locks.get(lockKey);
    if (holder && holder !== txn) throw writeConflict(`document ${id} in ${ns} is being written by another transaction`);
    const rec = this.store.get(ns)?.records.get(id);
    if (!holder && rec && rec.head.ts > txn.snapshotTs) throw writeConflict(`document ${id} in ${ns} changed after the transaction started`);
    this.locks.set(lockKey, txn);
    let coll = txn.writes.get(ns);
    if (!coll) txn.writes.set(ns, (coll = new Map()));
    coll.set(id, doc);
    txn.ops.push(doc ? { o: 'put', ns, d: doc, ...(insert ? { ins: true } : {}) } : { o: 'del', ns, id: idValue });
  }

  /** Applies the transaction's writes atomically; returns the ops to journal. */
  commit(txn: Transaction): Op[] {
    if (txn.state !== 'active') throw new CommandError(Codes.NoSuchTransaction, `Transaction ${txn.number} has been aborted.`, { labels: ['TransientTransactionError'] });
    const ops = compact(txn.ops);
    try {
      this.store.apply(ops, true);
    } catch (err) {
      this.end(txn, 'aborted');
      if (err instanceof CommandError && err.code === Codes.DuplicateKey) {
        // The key was free in our snapshot, so a concurrent commit took it.
        throw writeConflict(`a concurrent commit took a unique key: ${err.message}`);
      }
      throw err;
    }
    this.end(txn, 'committed');
    return ops;
  }

  abort(txn: Transaction, reason?: string): void {
    if (txn.state !== 'active') return;
    txn.abortReason = reason;
    this.end(txn, 'aborted');
  }

  /** Aborts transactions older than `maxAgeMs` (transactionLifetimeLimitSeconds). */
  expire(maxAgeMs: number): void {
    const now = Date.now();
    for (const t of this.active) if (now - t.startedAt > maxAgeMs) this.abort(t, 'exceeded transactionLifetimeLimitSeconds');
  }

  private end(txn: Transaction, state: TxnState): void {
    txn.state = state;
    this.active.delete(txn);
    for (const [ns, ids] of txn.writes) for (const id of ids.keys()) if (this.locks.get(ns + '\0' + id) === txn) this.locks.delete(ns + '\0' + id);
    txn.finish();
    this.store.prune();
  }
}

/**
 * Keeps the last write per document, so a commit applies each document once. A document the
 * transaction created (its first write was an insert) stays an insert, or vanishes if deleted again.
 */
function compact(ops: Op[]): Op[] {
  const keyOfOp = (op: Op) => (op.o === 'put' ? op.ns + '\0' + keyOf(op.d._id) : op.o === 'del' ? op.ns + '\0' + keyOf(op.id) : '');
  const last = new Map<string, number>();
  const created = new Map<string, boolean>();
  ops.forEach((op, i) => {
    const k = keyOfOp(op);
    if (!k) return;
    last.set(k, i);
    if (!created.has(k)) created.set(k, op.o === 'put' && op.ins === true);
  });
  return ops.flatMap((op, i) => {
    const k = keyOfOp(op);
    if (!k) return [op];
    if (last.get(k) !== i) return [];
    const isNew = created.get(k)!;
    if (op.o === 'del') return isNew ? [] : [op];
    if (op.o !== 'put') return [op];
    const { ins: _ins, ...rest } = op;
    return [isNew ? { ...rest, ins: true } : rest];
  });
}
