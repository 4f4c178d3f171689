/**
 * The store on disk. Files in the data directory (generation `g`):
 *   snapshot-g.db   the whole state when generation g began (absent for g = 0)
 *   journal-g.log   every commit since, one record each
 * Opening loads the newest complete snapshot and replays its journal, cutting off a torn tail.
 * Compaction writes snapshot-(g+1) (temp file, fsync, rename, fsync dir), starts an empty
 * journal-(g+1), then deletes generation g. A crash at any point leaves one complete generation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BSON, type Document } from 'bson';
import { Journal } from './journal';
import { lockDataDir, type DataDirLock } from './lockfile';
import { decodeRecords, encodeRecord } from './records';
import { Store, type Op } from './store';

export interface DurableOptions {
  dir: string;
  /** fdatasync each group commit (default true; tests of speed may turn it off). */
  sync?: boolean;
  /**
   * Compact when the journal grows past this many bytes (default 64 MiB) and past the size of
   * the last snapshot: each compaction rewrites the whole state, so with a fixed threshold a
   * large database would rewrite itself every 64 MiB of changes (quadratic); this way every
   * byte is written at most about twice.
   */
  compactBytes?: number;
}

export interface RecoveryReport {
  generation: number;
  journalRecords: number;
  /** Bytes of a torn or corrupt journal tail that were dropped. */
  droppedBytes: number;
}

const SNAPSHOT_BATCH_BYTES = 8 * 1024 * 1024;

export class DurableStore {
  readonly store = new Store();
  readonly recovery: RecoveryReport;
  private journal: Journal;
  private generation: number;
  private readonly lock: DataDirLock;
  private compacting = false;
  /** Bytes of the current generation's snapshot (0 for none). */
  private snapshotBytes = 0;

  /** Locks the data directory (taking over a stale lock, which needs a probe of the old holder) and opens it. */
  static async open(opts: DurableOptions): Promise<DurableStore> {
    return new DurableStore(opts, await lockDataDir(opts.dir));
  }

  /** Opens a data directory whose lock the caller has taken (see `open`). */
  constructor(
    private readonly opts: DurableOptions,
    lock: DataDirLock,
  ) {
    this.lock = lock;
    try {
      this.generation = this.loadNewestSnapshot();
      const file = this.file('journal', this.generation);
      if (!fs.existsSync(file)) createDurably(file);
      const buf = fs.readFileSync(file);
      const { records, validLength, torn } = decodeRecords(buf);
      for (const rec of records) this.store.apply(rec as Op[]);
      if (torn) fs.truncateSync(file, validLength);
      this.recovery = { generation: this.generation, journalRecords: records.length, droppedBytes: buf.length - validLength };
      this.journal = new Journal(file, validLength, opts.sync ?? true);
      this.removeOlderThan(this.generation);
    } catch (err) {
      this.lock.release();
      throw err;
    }
  }

  /** Appends one commit's ops to the journal; resolves when durable. Compacts when the journal is large. */
  async log(ops: Op[]): Promise<void> {
    if (!ops.length) return;
    await this.journal.append(ops);
    if (this.journal.size > Math.max(this.opts.compactBytes ?? 64 * 1024 * 1024, this.snapshotBytes)) this.compactWhenIdle();
  }

  /** Writes a snapshot of the current state and starts a new, empty journal. */
  async compact(): Promise<void> {
    await this.journal.drain();
    // No await between here and the switch: the snapshot and the new journal start at the same state.
    while (!this.journal.idle) await this.journal.drain();
    const next = this.generation + 1;
    this.writeSnapshot(next);
    const file = this.file('journal', next);
    createDurably(file);
    this.journal.close();
    this.journal = new Journal(file, 0, this.opts.sync ?? true);
    this.generation = next;
    this.removeOlderThan(next);
  }

  get journalBytes(): number {
    return this.journal.size;
  }

  async close(): Promise<void> {
    await this.journal.drain();
    this.journal.close();
    this.lock.release();
  }

  /** The data directory's random id, answered in `hello` so a lock's probe recognises this database. */
  get dataDirId(): string {
    return this.lock.id;
  }

  /** Writes the serving URI into the lock file. */
  advertise(uri: string): void {
    this.lock.advertise(uri);
  }

  private compactWhenIdle(): void {
    if (this.compacting) return;
    this.compacting = true;
    this.compact()
      .catch((err) => console.error('[lianban-db] compaction failed (journal kept):', err))
      .finally(() => (this.compacting = false));
  }

  private writeSnapshot(gen: number): void {
    const tmp = this.file('snapshot', gen) + '.tmp';
    const fd = fs.openSync(tmp, 'w');
    const put = (docs: Document[]) => fs.writeSync(fd, encodeRecord(docs));
    put([{ t: 'meta', gen, ts: this.store.ts }]);
    for (const coll of this.store.collections.values()) {
      put([{ t: 'coll', ns: coll.ns, opts: coll.options, indexes: coll.indexes.specs().slice(1) }]);
      let batch: Document[] = [];
      let bytes = 0;
      for (const [, doc] of coll.latest()) {
        batch.push({ t: 'doc', d: doc });
        bytes += 64 + BSON.calculateObjectSize(doc);
        if (bytes > SNAPSHOT_BATCH_BYTES) {
          put(batch);
          batch = [];
          bytes = 0;
        }
      }
      if (batch.length) put(batch);
    }
    put([{ t: 'end' }]);
    fs.fsyncSync(fd);
    this.snapshotBytes = fs.fstatSync(fd).size;
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file('snapshot', gen));
    fsyncDir(this.opts.dir);
  }

  /** Loads the newest snapshot that is complete; returns its generation (0 when none). */
  private loadNewestSnapshot(): number {
    const gens = fs
      .readdirSync(this.opts.dir)
      .map((f) => /^snapshot-(\d+)\.db$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a);
    for (const gen of gens) {
      const buf = fs.readFileSync(this.file('snapshot', gen));
      const { records } = decodeRecords(buf);
      const docs = records.flat();
      if (docs.at(-1)?.t !== 'end') continue; // incomplete: cannot happen after rename, but never trust it
      const ops: Op[] = [];
      let ns = '';
      for (const d of docs) {
        if (d.t === 'coll') {
          ns = d.ns;
          ops.push({ o: 'create', ns, opts: d.opts });
          for (const spec of d.indexes) ops.push({ o: 'index', ns, spec });
        } else if (d.t === 'doc') ops.push({ o: 'put', ns, d: d.d });
      }
      this.store.apply(ops);
      this.store.ts = Math.max(this.store.ts, docs[0]!.ts ?? 0);
      this.snapshotBytes = buf.length;
      return gen;
    }
    return 0;
  }

  private removeOlderThan(gen: number): void {
    for (const f of fs.readdirSync(this.opts.dir)) {
      const m = /^(snapshot|journal)-(\d+)\.(db|log|db\.tmp)$/.exec(f);
      if (m && (Number(m[2]) < gen || m[3] === 'db.tmp')) fs.rmSync(path.join(this.opts.dir, f), { force: true });
    }
  }

  private file(kind: 'snapshot' | 'journal', gen: number): string {
    return path.join(this.opts.dir, kind === 'snapshot' ? `snapshot-${gen}.db` : `journal-${gen}.log`);
  }
}

function createDurably(file: string): void {
  fs.closeSync(fs.openSync(file, 'a'));
  fsyncDir(path.dirname(file));
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
