/**
 * One collection's documents with their recent versions (MVCC). Every committed write gets the
 * store's commit timestamp; a transaction reads the newest version at or before its snapshot.
 * Older versions are only kept while some transaction may still need them (`Store.prune`).
 * Stored documents are never mutated: writers store fresh copies.
 *
 * Cold documents are kept as their BSON bytes (`Version.freeze`, driven by `Store.freezeCold`):
 * a document nobody read or wrote for a whole pass of the freezer gives up its object tree for
 * one buffer, outside the JavaScript heap, and gets it back (decoded as a restart would decode
 * it from the journal) the next time it is read. The garbage collector's full marking walks
 * every object of the heap, the data included: with ~300 MB of cases as objects it took 1.6–1.8
 * of the bench machine's 2 cores for 300–450 ms every 10–25 s, and the requests of that moment
 * waited 100–370 ms (#24, bench/saturation.ts). Off unless asked for (server.ts `freezeAfterMs`):
 * with young data, thawing and freezing again made more old-generation garbage than it saved.
 * The pass number is one per process: several stores in a process age their documents by the
 * passes of all their freezers (sooner, never wrongly: a frozen document reads back the same).
 */
import { BSON, type Document } from 'bson';
import { forgetBytes, peekBytes, rememberBytes } from './bson-bytes';
import { Indexes, type IndexSpec } from './indexes';
import { keyOf } from './keys';

/** Documents smaller than this stay objects: freezing them saves little. */
const FREEZE_MIN_BYTES = 512;

/** The freezer's pass number: a version read or written during the current or the previous pass is warm. */
let epoch = 2;
/** Documents frozen and thawed since the process began (serverStatus). */
export const freezeCounts = { frozen: 0, thawed: 0 };

/** Starts the freezer's next pass (what was not touched since the one before is cold). */
export function nextFreezeEpoch(): void {
  epoch++;
}

/** One version of a document: an object, its BSON bytes when frozen, or null (deleted at `ts`). */
export class Version {
  private d: Document | null | undefined;
  private b: Uint8Array | undefined;
  private seen = epoch;
  /** Under FREEZE_MIN_BYTES: never worth freezing (not measured again). */
  private small = false;

  constructor(doc: Document | null, readonly ts: number, public prev?: Version) {
    this.d = doc;
  }

  /** The document (decoded first when frozen), null when deleted. Marks the version warm. */
  get doc(): Document | null {
    this.seen = epoch;
    if (this.d === undefined) {
      const bytes = this.b!;
      const doc = BSON.deserialize(bytes);
      rememberBytes(doc, bytes);
      this.d = doc;
      this.b = undefined;
      freezeCounts.thawed++;
    }
    return this.d;
  }

  /** A deletion (without decoding anything). */
  get deleted(): boolean {
    return this.d === null;
  }

  /** Its BSON bytes when frozen (the snapshot writes them as they are). */
  get frozenBytes(): Uint8Array | undefined {
    return this.b;
  }

  /** Its BSON bytes (the frozen ones, the cached ones, or made now), without marking it warm; a deletion: none. */
  bytes(): Uint8Array | null {
    if (this.b) return this.b;
    return this.d ? peekBytes(this.d) ?? BSON.serialize(this.d) : null;
  }

  /** An object (not frozen, not too small) nobody read or wrote since the pass before: `freeze` may take it. */
  get cold(): boolean {
    return !this.small && this.d !== undefined && this.d !== null && this.seen < epoch - 1;
  }

  /** Keeps the document as its bytes from now on; returns their length (0: left as it was). */
  freeze(): number {
    const doc = this.d;
    if (!doc) return 0;
    const bytes = peekBytes(doc) ?? BSON.serialize(doc);
    if (bytes.length < FREEZE_MIN_BYTES) {
      this.small = true;
      return 0;
    }
    forgetBytes(doc);
    this.b = bytes;
    this.d = undefined;
    freezeCounts.frozen++;
    return bytes.length;
  }
}

export interface DocRecord {
  id: string;
  /** Natural (insertion) order. */
  seq: number;
  head: Version;
}

export class Collection {
  readonly ns: string;
  readonly options: Document;
  readonly indexes: Indexes;
  readonly records = new Map<string, DocRecord>();
  /** Commit timestamp of the last write or DDL touching this collection. */
  modTs = 0;
  private seq = 0;
  private live = 0;

  constructor(ns: string, options: Document = {}) {
    this.ns = ns;
    this.options = options;
    this.indexes = new Indexes(ns);
  }

  get count(): number {
    return this.live;
  }

  /** The newest version of the document with id key `id`. */
  get(id: string): Document | null {
    return this.records.get(id)?.head.doc ?? null;
  }

  /** The document as a snapshot at `ts` saw it. */
  getAt(id: string, ts: number): Document | null {
    const rec = this.records.get(id);
    return rec ? versionAt(rec, ts) : null;
  }

  /** Newest documents in natural order. */
  *latest(): IterableIterator<[string, Document]> {
    for (const rec of this.records.values()) {
      if (rec.head.deleted) continue;
      const doc = rec.head.doc;
      if (doc) yield [rec.id, doc];
    }
  }

  /** Documents as of `ts`, natural order. */
  *at(ts: number): IterableIterator<[string, Document]> {
    for (const rec of this.records.values()) {
      const doc = versionAt(rec, ts);
      if (doc) yield [rec.id, doc];
    }
  }

  /** The versions visible at `ts` (deletions left out), natural order: a frozen one is not decoded. */
  *versionsAt(ts: number): IterableIterator<Version> {
    for (const rec of this.records.values()) {
      let v: Version | undefined = rec.head;
      while (v && v.ts > ts) v = v.prev;
      if (v && !v.deleted) yield v;
    }
  }

  seqOf(id: string): number {
    return this.records.get(id)?.seq ?? Number.MAX_SAFE_INTEGER;
  }

  /**
   * Makes `doc` (or a deletion, `doc === null`) the newest version of `id` at `ts`. Unique
   * constraints must have been checked. Returns an undo function (used by atomic commits).
   * `keep` keeps the previous version for open snapshots.
   */
  put(id: string, doc: Document | null, ts: number, keep: boolean): () => void {
    let rec = this.records.get(id);
    const before = rec?.head;
    const oldDoc = before?.doc ?? null;
    if (oldDoc && doc) this.indexes.replaceDoc(id, oldDoc, doc);
    else {
      if (oldDoc) this.indexes.removeDoc(id, oldDoc);
      if (doc) this.indexes.insertDoc(id, doc);
    }
    this.live += (doc ? 1 : 0) - (oldDoc ? 1 : 0);
    const prevModTs = this.modTs;
    this.modTs = ts;
    const created = !rec;
    if (!rec) {
      rec = { id, seq: this.seq++, head: new Version(doc, ts) };
      if (doc || keep) this.records.set(id, rec);
    } else if (!doc && !keep) {
      this.records.delete(id);
    } else {
      rec.head = new Version(doc, ts, keep ? before : undefined);
    }
    const record = rec;
    return () => {
      if (oldDoc && doc) this.indexes.replaceDoc(id, doc, oldDoc);
      else {
        if (doc) this.indexes.removeDoc(id, doc);
        if (oldDoc) this.indexes.insertDoc(id, oldDoc);
      }
      this.live -= (doc ? 1 : 0) - (oldDoc ? 1 : 0);
      this.modTs = prevModTs;
      if (created) this.records.delete(id);
      else {
        record.head = before!;
        this.records.set(id, record);
      }
    };
  }

  /** Adds an index over the current documents (throws E11000 on existing duplicates). */
  createIndex(spec: IndexSpec): void {
    this.indexes.create(spec, [...this.latest()]);
  }

  /** Drops versions no snapshot at or after `minTs` can see; true if the record still has history. */
  prune(id: string, minTs: number): boolean {
    const rec = this.records.get(id);
    if (!rec) return false;
    let v: Version | undefined = rec.head;
    while (v && v.ts > minTs) v = v.prev;
    if (v) v.prev = undefined;
    if (rec.head.deleted && rec.head.ts <= minTs) {
      this.records.delete(id);
      return false;
    }
    return rec.head.prev !== undefined;
  }
}

function versionAt(rec: DocRecord, ts: number): Document | null {
  let v: Version | undefined = rec.head;
  while (v && v.ts > ts) v = v.prev;
  return v?.doc ?? null;
}

/** Where a freezer's pass stands (`Store.freezeCold`). */
export interface FreezeCursor {
  /** Records of the collection being walked, resumed where the last slice stopped. */
  records: IterableIterator<DocRecord> | null;
  collections: IterableIterator<Collection> | null;
  /** Frozen heads seen so far in this pass, and their bytes. */
  docs: number;
  bytes: number;
}

/**
 * Walks `cursor` on for at most `budgetMs`, freezing the cold heads that have no older version
 * kept; returns true when the pass reached the end (the cursor then starts over, at a new epoch).
 */
export function freezeSlice(collections: () => IterableIterator<Collection>, cursor: FreezeCursor, budgetMs: number, census: (docs: number, bytes: number) => void): boolean {
  const until = performance.now() + budgetMs;
  let n = 0;
  cursor.collections ??= collections();
  for (;;) {
    if (!cursor.records) {
      const next = cursor.collections.next();
      if (next.done) {
        census(cursor.docs, cursor.bytes);
        cursor.collections = null;
        cursor.docs = 0;
        cursor.bytes = 0;
        nextFreezeEpoch();
        return true;
      }
      cursor.records = next.value.records.values();
    }
    for (let r = cursor.records.next(); !r.done; r = cursor.records.next()) {
      const head = r.value.head;
      if (head.prev === undefined && head.cold) head.freeze();
      const b = head.frozenBytes;
      if (b) { cursor.docs++; cursor.bytes += b.length; }
      if ((++n & 63) === 0 && performance.now() >= until) return false;
    }
    cursor.records = null;
  }
}

/** The id key of a document (its `_id`). */
export function idKeyOf(doc: Document): string {
  return keyOf(doc._id);
}
