/**
 * One collection's documents with their recent versions (MVCC). Every committed write gets the
 * store's commit timestamp; a transaction reads the newest version at or before its snapshot.
 * Older versions are only kept while some transaction may still need them (`Store.prune`).
 * Stored documents are never mutated: writers store fresh copies.
 */
import type { Document } from 'bson';
import { Indexes, type IndexSpec } from './indexes';
import { keyOf } from './keys';

export interface Version {
  /** null: deleted at `ts`. */
  doc: Document | null;
  ts: number;
  prev?: Version;
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
    for (const rec of this.records.values()) if (rec.head.doc) yield [rec.id, rec.head.doc];
  }

  /** Documents as of `ts`, natural order. */
  *at(ts: number): IterableIterator<[string, Document]> {
    for (const rec of this.records.values()) {
      const doc = versionAt(rec, ts);
      if (doc) yield [rec.id, doc];
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
      rec = { id, seq: this.seq++, head: { doc, ts } };
      if (doc || keep) this.records.set(id, rec);
    } else if (!doc && !keep) {
      this.records.delete(id);
    } else {
      rec.head = { doc, ts, prev: keep ? before : undefined };
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
    if (rec.head.doc === null && rec.head.ts <= minTs) {
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

/** The id key of a document (its `_id`). */
export function idKeyOf(doc: Document): string {
  return keyOf(doc._id);
}
