/**
 * What one command sees and writes. Outside a transaction it reads the newest committed data
 * and writes straight into the store (collecting the ops to journal). Inside one it reads the
 * transaction's snapshot plus its own writes, and writes go to the transaction.
 */
import type { Document } from 'bson';
import { idKeyOf, type Collection } from '../storage/collection';
import { keyOf } from '../storage/keys';
import { compileFilter } from '../storage/matcher';
import { candidates } from '../storage/planner';
import type { Op, Store } from '../storage/store';
import type { Transaction, Transactions } from './transaction';

export class DataView {
  /** Ops applied outside a transaction, to journal when the command ends. */
  readonly ops: Op[] = [];

  constructor(
    private readonly store: Store,
    private readonly txns: Transactions,
    readonly txn?: Transaction,
  ) {}

  /** Documents of `ns` matching `filter`, in natural order. */
  find(ns: string, filter: Document = {}): Document[] {
    const coll = this.store.get(ns);
    const own = this.txn?.writes.get(ns);
    if (!coll && !own) return [];
    // The commonest query (findById, session and user look-ups) needs no query compilation.
    const keys = Object.keys(filter);
    if (keys.length === 1 && keys[0] === '_id' && isPlainId(filter._id)) {
      const doc = this.get(ns, filter._id);
      return doc ? [doc] : [];
    }
    const query = compileFilter(filter);
    const out: { seq: number; doc: Document }[] = [];
    const ordered = !!own;
    if (coll) {
      const snapshot = this.txn && coll.modTs > this.txn.snapshotTs ? this.txn.snapshotTs : null;
      const ids = candidates(coll, filter, snapshot !== null);
      const source: Iterable<[string, Document]> = ids
        ? this.pick(coll, ids, snapshot)
        : snapshot === null ? coll.latest() : coll.at(snapshot);
      for (const [id, doc] of source) {
        if (own?.has(id)) continue;
        if (query.test(doc)) out.push({ seq: ids || ordered ? coll.seqOf(id) : 0, doc });
      }
      if (ids) out.sort((a, b) => a.seq - b.seq);
    }
    if (own) {
      for (const [id, doc] of own) {
        if (doc && query.test(doc)) out.push({ seq: coll?.seqOf(id) ?? Number.MAX_SAFE_INTEGER, doc });
      }
      out.sort((a, b) => a.seq - b.seq);
    }
    return out.map((x) => x.doc);
  }

  /** The visible document with `_id` value `idValue`, or null. */
  get(ns: string, idValue: unknown): Document | null {
    const id = keyOf(idValue);
    const own = this.txn?.own(ns, id);
    if (own !== undefined) return own;
    const coll = this.store.get(ns);
    if (!coll) return null;
    return this.txn ? coll.getAt(id, this.txn.snapshotTs) : coll.get(id);
  }

  /** The transaction (other than ours) holding any of `docs` of `ns` — writers outside transactions wait for it. */
  blocker(ns: string, docs: Document[]): Transaction | undefined {
    if (this.txn || this.txns.active.size === 0) return undefined;
    for (const d of docs) {
      const t = this.txns.holder(ns, idKeyOf(d));
      if (t) return t;
    }
    return undefined;
  }

  /** Inserts `doc` (E11000 on a taken `_id` or unique key). */
  insert(ns: string, doc: Document): void {
    if (this.txn) {
      const existing = this.get(ns, doc._id);
      const coll = this.store.get(ns);
      if (existing) throw (coll ?? this.store.ensure(ns)).indexes.duplicateId(doc._id);
      this.checkUniqueInTxn(ns, doc);
      this.txns.write(this.txn, ns, idKeyOf(doc), doc, true, doc._id);
      return;
    }
    this.commit({ o: 'put', ns, d: doc, ins: true });
  }

  /** Replaces the stored document with the same `_id` by `doc`. */
  replace(ns: string, doc: Document): void {
    if (this.txn) {
      this.checkUniqueInTxn(ns, doc);
      this.txns.write(this.txn, ns, idKeyOf(doc), doc, false, doc._id);
      return;
    }
    this.commit({ o: 'put', ns, d: doc });
  }

  remove(ns: string, doc: Document): void {
    if (this.txn) {
      this.txns.write(this.txn, ns, idKeyOf(doc), null, false, doc._id);
      return;
    }
    this.commit({ o: 'del', ns, id: doc._id });
  }

  /** Makes sure `ns` exists (collections are created outside transactions, as MongoDB does implicitly). */
  ensureCollection(ns: string): Collection {
    const existing = this.store.get(ns);
    if (existing) return existing;
    this.commit({ o: 'create', ns, opts: {} });
    return this.store.get(ns)!;
  }

  private commit(op: Op): void {
    this.store.apply([op], true);
    this.ops.push(op);
  }

  private *pick(coll: Collection, ids: Iterable<string>, snapshot: number | null): IterableIterator<[string, Document]> {
    for (const id of ids) {
      const doc = snapshot === null ? coll.get(id) : coll.getAt(id, snapshot);
      if (doc) yield [id, doc];
    }
  }

  /** Unique keys against committed data (except documents we rewrote) and our own writes. */
  private checkUniqueInTxn(ns: string, doc: Document): void {
    const coll = this.store.get(ns) ?? this.ensureCollection(ns);
    if (!coll.indexes.hasUnique) return;
    const own = this.txn!.writes.get(ns);
    coll.indexes.checkUnique(idKeyOf(doc), doc, (owner) => own?.has(owner) ?? false);
    // (without a unique index there is nothing to check: the loop below made a transaction of k inserts cost k²)
    if (!own) return;
    // Our own uncommitted documents: check them with a scratch index of the same definitions.
    for (const [id, other] of own) {
      if (!other || id === idKeyOf(doc)) continue;
      coll.indexes.checkPair(doc, other);
    }
  }
}

/** An `_id` value that matches only itself (no operator object, no array, no regex). */
function isPlainId(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return v !== undefined;
  if (Array.isArray(v) || v instanceof RegExp) return false;
  const bsontype = (v as { _bsontype?: string })._bsontype;
  return bsontype === 'ObjectId' || bsontype === 'UUID' || bsontype === 'Binary';
}
