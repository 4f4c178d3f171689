/**
 * All collections of the embedded server, the commit clock, and the one way state changes:
 * `apply(ops)`. The journal records exactly these ops, so replay is `apply` again.
 */
import type { Document } from 'bson';
import { Collection, freezeSlice, idKeyOf, type FreezeCursor } from './collection';
import type { IndexSpec } from './indexes';
import { keyOf } from './keys';

/** One durable change. Document ops carry whole documents, which makes replay idempotent. */
export type Op =
  | { o: 'put'; ns: string; d: Document; ins?: boolean }
  | { o: 'del'; ns: string; id: unknown }
  | { o: 'create'; ns: string; opts: Document }
  | { o: 'drop'; ns: string }
  | { o: 'index'; ns: string; spec: IndexSpec }
  | { o: 'dropIndex'; ns: string; name: string };

export class Store {
  readonly collections = new Map<string, Collection>();
  /** Commit clock: the timestamp of the newest commit. */
  ts = 0;
  /** Oldest snapshot still in use (Infinity: none), so we know which versions to keep. */
  oldestSnapshot: () => number = () => Infinity;
  /** Records holding old versions, by namespace. */
  private readonly history = new Map<string, Set<string>>();
  /** Pinned timestamps (→ how many pins), e.g. the point a snapshot being written to disk shows. */
  private readonly pins = new Map<number, number>();
  private readonly freezer: FreezeCursor & { startedAt: number } = { records: null, collections: null, docs: 0, bytes: 0, startedAt: -Infinity };
  /** Documents kept as bytes and their bytes, as the freezer's last whole pass counted them. */
  frozen = { docs: 0, bytes: 0 };

  get(ns: string): Collection | undefined {
    return this.collections.get(ns);
  }

  /** Collection names of database `db`. */
  namesIn(db: string): string[] {
    const prefix = db + '.';
    return [...this.collections.keys()].filter((ns) => ns.startsWith(prefix)).map((ns) => ns.slice(prefix.length));
  }

  databases(): string[] {
    return [...new Set([...this.collections.keys()].map((ns) => ns.slice(0, ns.indexOf('.'))))];
  }

  /**
   * Applies `ops` as one commit at a new timestamp, all or nothing. With `check`, an insert
   * (`ins`) of an existing `_id` or a put breaking a unique index throws E11000 and undoes the
   * ops applied before it. Replay applies without checks: the journal only holds valid commits.
   */
  apply(ops: Op[], check = false): number {
    const ts = ++this.ts;
    const keep = this.oldest() < ts;
    const undos: (() => void)[] = [];
    try {
      for (const op of ops) this.applyOne(op, ts, keep, check, undos);
    } catch (err) {
      for (const u of undos.reverse()) u();
      this.ts = ts - 1;
      throw err;
    }
    return ts;
  }

  private applyOne(op: Op, ts: number, keep: boolean, check: boolean, undos: (() => void)[]): void {
      switch (op.o) {
        case 'put':
        case 'del': {
          const coll = this.ensure(op.ns, ts);
          const id = op.o === 'put' ? idKeyOf(op.d) : keyOf(op.id);
          if (check && op.o === 'put') {
            if (op.ins && coll.get(id)) throw coll.indexes.duplicateId(op.d._id);
            coll.indexes.checkUnique(id, op.d);
          }
          undos.push(coll.put(id, op.o === 'put' ? op.d : null, ts, keep));
          if (keep) this.remember(op.ns, id);
          break;
        }
        case 'create':
          if (!this.collections.has(op.ns)) this.ensure(op.ns, ts, op.opts);
          break;
        case 'drop':
          this.collections.delete(op.ns);
          this.history.delete(op.ns);
          break;
        case 'index':
          this.ensure(op.ns, ts).createIndex(op.spec);
          break;
        case 'dropIndex':
          this.collections.get(op.ns)?.indexes.drop(op.name);
          break;
      }
  }

  /** Collection `ns`, created (non-transactionally) if missing. */
  ensure(ns: string, ts = this.ts, opts: Document = {}): Collection {
    let coll = this.collections.get(ns);
    if (!coll) {
      coll = new Collection(ns, opts);
      coll.modTs = ts;
      this.collections.set(ns, coll);
    }
    return coll;
  }

  /**
   * Keeps the versions visible at `ts` (normally `this.ts`: the state now) until the returned
   * release function is called, so `Collection.at(ts)` keeps answering that state while writers
   * go on — what a compaction writing its snapshot needs. Releasing prunes what is no longer needed.
   */
  pin(ts = this.ts): () => void {
    this.pins.set(ts, (this.pins.get(ts) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = this.pins.get(ts)! - 1;
      if (n > 0) this.pins.set(ts, n);
      else this.pins.delete(ts);
      this.prune();
    };
  }

  /**
   * One slice (≤ `budgetMs`) of the freezer's walk over every document: the newest versions not
   * read or written since the pass before this one are kept as bytes (collection.ts). A pass
   * starts at most every `passMs`, so a document is frozen after `passMs`–2×`passMs` untouched.
   */
  freezeCold(budgetMs: number, passMs: number, now = performance.now()): void {
    const f = this.freezer;
    if (!f.collections) {
      if (now - f.startedAt < passMs) return;
      f.startedAt = now;
    }
    freezeSlice(() => this.collections.values(), f, budgetMs, (docs, bytes) => { this.frozen = { docs, bytes }; });
  }

  /** Forgets versions no open snapshot can see; call when a transaction ends. */
  prune(): void {
    const min = this.oldest();
    for (const [ns, ids] of this.history) {
      const coll = this.collections.get(ns);
      if (!coll) {
        this.history.delete(ns);
        continue;
      }
      for (const id of ids) if (!coll.prune(id, min === Infinity ? this.ts : min)) ids.delete(id);
      if (ids.size === 0) this.history.delete(ns);
    }
  }

  /** The oldest timestamp an open transaction or a pin may still read (Infinity: none). */
  private oldest(): number {
    let min = this.oldestSnapshot();
    if (this.pins.size) for (const ts of this.pins.keys()) min = Math.min(min, ts);
    return min;
  }

  private remember(ns: string, id: string): void {
    let ids = this.history.get(ns);
    if (!ids) this.history.set(ns, (ids = new Set()));
    ids.add(id);
  }
}
