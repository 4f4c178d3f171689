/**
 * Open cursors: the rest of a result set, handed out by getMore in batches capped at
 * `batchSize` and at ~16 MB of BSON. Results are materialised when the cursor opens, so a
 * cursor keeps seeing what the query saw. Idle cursors die after 10 minutes, as in MongoDB.
 */
import { Long, type Document } from 'bson';
import { sizeOf } from './storage/bson-bytes';
import { CommandError, Codes } from './errors';

const BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
const IDLE_MS = 10 * 60 * 1000;

interface Cursor {
  ns: string;
  docs: Document[];
  pos: number;
  lastUse: number;
}

export class Cursors {
  private readonly open = new Map<number, Cursor>();
  private nextId = 1 + Math.floor(Math.random() * 1e9);

  /** First batch of `docs`; keeps the rest under a new cursor id unless `single`. */
  first(ns: string, docs: Document[], batchSize: number | undefined, single = false): Document {
    const cursor: Cursor = { ns, docs, pos: 0, lastUse: Date.now() };
    const firstBatch = this.take(cursor, batchSize ?? 101);
    let id = 0;
    if (!single && cursor.pos < docs.length) {
      id = this.nextId++;
      this.open.set(id, cursor);
    }
    return { cursor: { firstBatch, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  /** getMore. */
  more(idValue: unknown, ns: string, batchSize: number | undefined): Document {
    const id = Number(idValue);
    const cursor = this.open.get(id);
    if (!cursor) throw new CommandError(Codes.CursorNotFound, `cursor id ${id} not found`);
    if (cursor.ns !== ns) throw new CommandError(Codes.Unauthorized, `cursor ${id} belongs to ${cursor.ns}, not ${ns}`);
    cursor.lastUse = Date.now();
    const nextBatch = this.take(cursor, batchSize ?? Infinity);
    const done = cursor.pos >= cursor.docs.length;
    if (done) this.open.delete(id);
    return { cursor: { nextBatch, id: Long.fromNumber(done ? 0 : id), ns }, ok: 1 };
  }

  kill(ids: unknown[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of ids) {
      const id = Number(raw);
      (this.open.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  expire(): void {
    const now = Date.now();
    for (const [id, c] of this.open) if (now - c.lastUse > IDLE_MS) this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }

  private take(cursor: Cursor, batchSize: number): Document[] {
    const out: Document[] = [];
    let bytes = 0;
    const limit = batchSize > 0 ? batchSize : batchSize === 0 ? 0 : Infinity;
    while (out.length < limit && cursor.pos < cursor.docs.length) {
      const doc = cursor.docs[cursor.pos]!;
      bytes += sizeOf(doc);
      if (out.length > 0 && bytes > BATCH_BYTES) break;
      out.push(doc);
      cursor.pos++;
    }
    return out;
  }
}
