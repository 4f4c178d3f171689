/**
 * The store on disk. Files in the data directory:
 *   snapshot-g.db   the whole state at the moment generation g began (absent for g = 0)
 *   journal-g.log   every commit since generation g began, one record each
 * Opening loads the newest snapshot s and replays every journal from generation s on, in order,
 * cutting off a torn tail. A `.tmp` snapshot (a crash during a compaction) is ignored and removed.
 * A complete-named snapshot that does not decode to its end record is damage, not a crash: the
 * store opens from an older snapshot only when the journals from there on are all still on disk
 * (nothing lost; the damaged file is kept beside as `.damaged`), and refuses to open otherwise
 * (`DataDirDamagedError`), deleting nothing, instead of starting with part of the data. So does a
 * journal older than the newest that does not decode to its end: only the newest can be torn.
 *
 * Compaction never stops the world. In one synchronous step (after the current journal is
 * idle) it switches to journal-(g+1) — commits from then on go there — and pins the store's
 * MVCC versions at that commit timestamp T. It then writes the state as of T to
 * `snapshot-(g+1).db.tmp` in bounded chunks (≤ `compactChunkBytes`, ~4 ms of CPU each) with
 * async writes, yielding to the event loop between chunks until it is quiet (`quietMoment`: at
 * most 40 ms), so requests of every tenant go on
 * being answered and acknowledged (in journal-(g+1)) meanwhile. Each chunk goes to the disk in
 * pieces of 512 KiB, each written when the journal has no write in flight (at most 20 ms later)
 * and flushed before the next, with a rest as long as the piece took (at most 100 ms) after it:
 * the commits' journal syncs never queue behind megabytes of snapshot nor behind a disk kept
 * busy by the compaction (`bench/compaction-commits.ts`, ~55 MB: the commits' p99 wait during a
 * compaction 33–46 → 6–9 ms, the compaction ~1.8× as long). Then fsync, rename, fsync the
 * directory, release the pin, and only then delete generation g (snapshot and journal).
 * Crash points: before the rename, recovery uses snapshot g + journals g and g+1; after it,
 * snapshot g+1 + journal g+1. Either way every acknowledged commit is there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import { BSON, type Document } from 'bson';
import type { Collection } from './collection';
import type { IndexSpec } from './indexes';
import { Journal } from './journal';
import { lockDataDir, type DataDirLock } from './lockfile';
import { decodeRecords, withDocD } from './records';
import { Store, type Op } from './store';

/** Where a compaction is; `DurableOptions.onCompactionStep` is called (and awaited) at each. */
export type CompactionStep = 'switched' | 'chunk' | 'written' | 'renamed' | 'done';

export interface DurableOptions {
  dir: string;
  /** fdatasync each group commit (default true; tests of speed may turn it off). */
  sync?: boolean;
  /**
   * Compact when the journals since the last snapshot grow past this many bytes (default
   * 64 MiB) and past the size of the last snapshot: each compaction rewrites the whole state,
   * so with a fixed threshold a large database would rewrite itself every 64 MiB of changes
   * (quadratic); this way every byte is written at most about twice.
   */
  compactBytes?: number;
  /** Largest snapshot record a compaction serialises between two yields to the event loop (default 4 MiB). */
  compactChunkBytes?: number;
  /** Longest a compaction waits for the event loop to be quiet before its next slice (default 40 ms; see `quietMoment`). */
  compactMaxWaitMs?: number;
  /** Tests: awaited at each step of a compaction (to write meanwhile, or copy the files as a crash would leave them). */
  onCompactionStep?: (step: CompactionStep, generation: number) => void | Promise<void>;
}

export interface RecoveryReport {
  /** Generation of the journal being appended to. */
  generation: number;
  /** Generation of the snapshot loaded (0: none). Below `generation` after a crash during a compaction. */
  snapshotGeneration: number;
  /** Records replayed, over all journals. */
  journalRecords: number;
  /** Bytes of a torn or corrupt journal tail that were dropped. */
  droppedBytes: number;
  /** Snapshots that did not decode and were set aside (renamed `….damaged`), the data rebuilt from an older snapshot and the journals. */
  damagedSnapshots: string[];
}

/**
 * Thrown at open when a snapshot is damaged and the journals needed to rebuild its data without it
 * are gone (a compaction deletes them once the snapshot is in place), or when a journal older than
 * the newest does not decode to its end (`missingJournals` empty). Nothing was changed on disk.
 */
export class DataDirDamagedError extends Error {
  constructor(
    readonly dir: string,
    /** The damaged file's name (a snapshot, or a journal older than the newest). */
    readonly file: string,
    /** Where decoding stopped (bytes of whole, valid records) and the file's size. */
    readonly validBytes: number,
    readonly size: number,
    /** Journal files an open from an older snapshot would need and that are missing. */
    readonly missingJournals: string[],
  ) {
    super(missingJournals.length
      ? `数据目录 ${dir} 的快照 ${file} 已损坏（第 ${validBytes} 字节之后无法解码，共 ${size} 字节），重建它所需的日志 ${missingJournals.join('、')} 已不存在：请从备份恢复数据目录；未做任何改动 / `
        + `snapshot ${file} in ${dir} is damaged (it stops decoding after byte ${validBytes} of ${size}) and the journals needed to rebuild it without it (${missingJournals.join(', ')}) are gone: restore the data directory from a backup; nothing was changed`
      : `数据目录 ${dir} 的日志 ${file} 已损坏（第 ${validBytes} 字节之后无法解码，共 ${size} 字节），其后还有更新的日志，截断它会丢失已确认的提交：请从备份恢复数据目录；未做任何改动 / `
        + `journal ${file} in ${dir} is damaged (it stops decoding after byte ${validBytes} of ${size}) and newer journals follow it, so cutting it off would lose acknowledged commits: restore the data directory from a backup; nothing was changed`);
  }
}

const CHUNK_BYTES = 4 * 1024 * 1024;
/** What a compaction writes and flushes at a time (see `writeSnapshot`). */
const PIECE_BYTES = 512 * 1024;
/** Longest a snapshot piece waits for the journal's writes in flight. */
const PIECE_WAIT_MS = 20;
/** Longest rest after a piece (a piece that took longer was a stalled disk, not a slow one). */
const MAX_REST_MS = 100;
/** CPU time a compaction spends serialising before it yields, whatever the chunk's size. */
const SLICE_MS = 4;
/**
 * Longest a compaction waits for a quiet moment before it serialises its next slice anyway: under
 * continuous load it still gets at least one slice in `SLICE_MS + MAX_WAIT_MS` (~10 % of the loop).
 */
const MAX_WAIT_MS = 40;
/** Other work (ms) the event loop may have done while a compaction yielded and still count as quiet. */
const QUIET_ACTIVE_MS = 0.2;

/**
 * Resolves once the event loop has gone round with (almost) nothing else to do — no request,
 * reply or journal callback ran meanwhile — or after `maxWaitMs`. A compaction slice of a few ms
 * between each round trip of a request (server and database in one process: ~10 per request)
 * multiplied a request's time by the slice count (#24: the 100k-case tasklist at 7.8× the 1k
 * figure while a ~800 MB snapshot was written); waiting for a quiet moment puts the slices
 * between requests instead, and bounds what one busy stretch of requests meets to one slice per
 * `maxWaitMs`.
 */
export async function quietMoment(maxWaitMs: number): Promise<void> {
  const start = performance.now();
  let mark = performance.eventLoopUtilization();
  await new Promise((r) => setImmediate(r));
  for (;;) {
    const busy = performance.eventLoopUtilization(mark).active;
    if (busy < QUIET_ACTIVE_MS || performance.now() - start >= maxWaitMs) return;
    mark = performance.eventLoopUtilization();
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** What a snapshot holds of one collection: taken at the switch, so later DDL does not change it. */
interface CollectionAt {
  coll: Collection;
  ns: string;
  opts: Document;
  indexes: IndexSpec[];
}

export class DurableStore {
  readonly store = new Store();
  readonly recovery: RecoveryReport;
  private journal: Journal;
  /** Generation of the journal being appended to. */
  private generation: number;
  private readonly lock: DataDirLock;
  /** The compaction running, if any. */
  private compaction: Promise<void> | null = null;
  private closing = false;
  /** Bytes of the current generation's snapshot (0 for none). */
  private snapshotBytes = 0;
  /** Bytes of the journals older than the current one that the last complete snapshot does not cover. */
  private olderJournalBytes = 0;

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
      const { generation: snapshotGeneration, damaged } = this.loadNewestSnapshot();
      const gens = this.generations('journal').filter((g) => g >= snapshotGeneration);
      if (!gens.length) {
        createDurably(this.file('journal', snapshotGeneration));
        gens.push(snapshotGeneration);
      }
      let journalRecords = 0;
      let droppedBytes = 0;
      let validLength = 0;
      for (const gen of gens) {
        const file = this.file('journal', gen);
        const buf = fs.readFileSync(file);
        const read = decodeRecords(buf);
        // A compaction switches journals only once the older one is idle (every record written and
        // synced), so only the newest can have been torn by a crash: an older one that does not
        // decode to its end is damage, and cutting it off would drop acknowledged commits.
        if (read.torn && gen !== gens.at(-1)) throw new DataDirDamagedError(this.opts.dir, path.basename(file), read.validLength, buf.length, []);
        for (const rec of read.records) this.store.apply(rec as Op[]);
        if (read.torn) fs.truncateSync(file, read.validLength);
        journalRecords += read.records.length;
        droppedBytes += buf.length - read.validLength;
        validLength = read.validLength;
        if (gen !== gens.at(-1)) this.olderJournalBytes += read.validLength;
      }
      this.generation = gens.at(-1)!;
      this.recovery = { generation: this.generation, snapshotGeneration, journalRecords, droppedBytes, damagedSnapshots: damaged.map((gen) => `${path.basename(this.file('snapshot', gen))}.damaged`) };
      this.journal = new Journal(this.file('journal', this.generation), validLength, opts.sync ?? true);
      // the damaged snapshots go aside only now that everything they held has been rebuilt
      for (const gen of damaged) fs.renameSync(this.file('snapshot', gen), `${this.file('snapshot', gen)}.damaged`);
      if (damaged.length) fsyncDir(this.opts.dir);
      this.removeObsolete(snapshotGeneration);
    } catch (err) {
      this.lock.release();
      throw err;
    }
  }

  /** Appends one commit's ops to the journal; resolves when durable. Compacts when the journal is large. */
  async log(ops: Op[]): Promise<void> {
    if (!ops.length) return;
    await this.journal.append(ops);
    if (this.olderJournalBytes + this.journal.size > Math.max(this.opts.compactBytes ?? 64 * 1024 * 1024, this.snapshotBytes)) this.compactWhenIdle();
  }

  /**
   * Writes a snapshot of the current state and starts a new journal, without blocking writers
   * (see the file header); resolves when the older generation is deleted. A compaction already
   * running is finished first. `blocking` writes the snapshot in one synchronous go instead —
   * the old behaviour, kept only for the benchmark's comparison.
   */
  async compact(options: { blocking?: boolean } = {}): Promise<void> {
    while (this.compaction) await this.compaction.catch(() => undefined);
    if (this.closing) throw new Error('the database is closing');
    const run = this.runCompaction(options.blocking ?? false);
    this.compaction = run;
    try {
      await run;
    } finally {
      if (this.compaction === run) this.compaction = null;
    }
  }

  get journalBytes(): number {
    return this.journal.size;
  }

  /** Stops a running compaction (its temp file is removed; the journals keep everything), flushes the journal, releases the directory. */
  async close(): Promise<void> {
    this.closing = true;
    await this.compaction?.catch(() => undefined);
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
    if (this.compaction || this.closing) return;
    this.compact().catch((err) => {
      if (!this.closing) console.error('[lianban-db] compaction failed (journals kept):', err);
    });
  }

  private async runCompaction(blocking: boolean): Promise<void> {
    const next = this.generation + 1;
    const journalFile = this.file('journal', next);
    // The new journal exists (durably) before anything is written to it; an empty one is harmless to recovery.
    await createDurablyAsync(journalFile);
    while (!this.journal.idle) await this.journal.drain();
    if (this.closing) throw new Error('the database is closing');
    // The switch, all synchronous: commits up to `ts` are in the old journal (drained) and in the
    // snapshot; every later commit goes to the new journal.
    const ts = this.store.ts;
    const release = this.store.pin(ts);
    const colls: CollectionAt[] = [...this.store.collections.values()].map((coll) => ({ coll, ns: coll.ns, opts: coll.options, indexes: coll.indexes.specs().slice(1) }));
    const old = this.journal;
    this.journal = new Journal(journalFile, 0, this.opts.sync ?? true);
    old.close();
    this.olderJournalBytes += old.size;
    this.generation = next;
    try {
      await this.step('switched', next);
      this.snapshotBytes = await this.writeSnapshot(next, ts, colls, blocking);
    } finally {
      release();
    }
    // The snapshot is durable under its final name: the older generations are not needed any more.
    this.olderJournalBytes = 0;
    await this.step('renamed', next);
    await this.removeOlderAsync(next);
    await this.step('done', next);
  }

  /** Writes the state as of `ts` to snapshot-`gen`.db (temp file, fsync, rename, fsync dir); returns its size. */
  private async writeSnapshot(gen: number, ts: number, colls: CollectionAt[], blocking: boolean): Promise<number> {
    const final = this.file('snapshot', gen);
    const tmp = final + '.tmp';
    const chunks = snapshotChunks(gen, ts, colls, this.opts.compactChunkBytes ?? CHUNK_BYTES, blocking ? Infinity : SLICE_MS);
    let size = 0;
    if (blocking) {
      const fd = fs.openSync(tmp, 'w');
      try {
        for (const chunk of chunks) size += writeAllSync(fd, chunk, size);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, final);
      fsyncDir(this.opts.dir);
      return size;
    }
    const fh = await fs.promises.open(tmp, 'w');
    try {
      for (const chunk of chunks) {
        if (this.closing) throw new Error('the database is closing');
        for (let off = 0; off < chunk.length; ) {
          // the commits first: a piece goes to the disk once no journal write is in flight (or
          // after PIECE_WAIT_MS: under continuous commits the compaction still moves on), and
          // each piece is flushed before the next, so a journal sync never waits behind more
          // than one piece — not behind megabytes of snapshot (bench/compaction-commits.ts)
          await journalQuiet(this.journal, PIECE_WAIT_MS);
          const t0 = performance.now();
          const end = Math.min(chunk.length, off + PIECE_BYTES);
          while (off < end) off += (await fh.write(chunk, off, end - off, size + off)).bytesWritten;
          await fh.datasync();
          // the disk's time shared: after a piece, as long again without compaction writes
          await sleep(Math.min(MAX_REST_MS, performance.now() - t0));
        }
        size += chunk.length;
        await this.step('chunk', gen);
        // the next chunk is serialised when the loop is quiet, not between the round trips of a request
        await quietMoment(this.opts.compactMaxWaitMs ?? MAX_WAIT_MS);
      }
      await fh.sync();
      await this.step('written', gen);
    } catch (err) {
      await fh.close().catch(() => undefined);
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
    await fh.close();
    await fs.promises.rename(tmp, final);
    await fsyncDirAsync(this.opts.dir);
    return size;
  }

  private async step(step: CompactionStep, gen: number): Promise<void> {
    await this.opts.onCompactionStep?.(step, gen);
  }

  /**
   * Loads the newest snapshot that decodes to its end record; returns its generation (0 when none)
   * and those of the newer ones found damaged (to be set aside once the journals are replayed) —
   * only when every journal from the one loaded on is still there, else it throws
   * `DataDirDamagedError` and changes nothing.
   */
  private loadNewestSnapshot(): { generation: number; damaged: number[] } {
    const snapshots = this.generations('snapshot');
    const journals = new Set(this.generations('journal'));
    const damaged: { gen: number; validBytes: number; size: number }[] = [];
    let loaded: { gen: number; docs: Document[]; size: number } | null = null;
    for (const gen of [...snapshots].reverse()) {
      const buf = fs.readFileSync(this.file('snapshot', gen));
      const { records, validLength } = decodeRecords(buf);
      const docs = records.flat();
      if (docs.at(-1)?.t === 'end') {
        loaded = { gen, docs, size: buf.length };
        break;
      }
      damaged.push({ gen, validBytes: validLength, size: buf.length });
    }
    const from = loaded?.gen ?? 0;
    if (damaged.length) {
      // the commits a damaged snapshot held are in the journals from `from` to its own generation
      const last = Math.max(...journals, ...damaged.map((d) => d.gen));
      const missing: string[] = [];
      for (let g = from; g <= last; g++) if (!journals.has(g)) missing.push(path.basename(this.file('journal', g)));
      if (missing.length) {
        const newest = damaged[0]!;
        throw new DataDirDamagedError(this.opts.dir, path.basename(this.file('snapshot', newest.gen)), newest.validBytes, newest.size, missing);
      }
    }
    if (loaded) {
      const ops: Op[] = [];
      let ns = '';
      for (const d of loaded.docs) {
        if (d.t === 'coll') {
          ns = d.ns;
          ops.push({ o: 'create', ns, opts: d.opts });
          for (const spec of d.indexes) ops.push({ o: 'index', ns, spec });
        } else if (d.t === 'doc') ops.push({ o: 'put', ns, d: d.d });
      }
      this.store.apply(ops);
      this.store.ts = Math.max(this.store.ts, loaded.docs[0]!.ts ?? 0);
      this.snapshotBytes = loaded.size;
    }
    return { generation: from, damaged: damaged.map((d) => d.gen) };
  }

  /** Generations of the complete-named snapshot or journal files, ascending. */
  private generations(kind: 'snapshot' | 'journal'): number[] {
    const re = kind === 'snapshot' ? /^snapshot-(\d+)\.db$/ : /^journal-(\d+)\.log$/;
    return fs
      .readdirSync(this.opts.dir)
      .map((f) => re.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  /** At open: removes generations older than the loaded snapshot and temp files (a damaged snapshot was set aside, never removed). */
  private removeObsolete(snapshotGen: number): void {
    for (const f of fs.readdirSync(this.opts.dir)) {
      const m = /^(snapshot|journal)-(\d+)\.(db|log|db\.tmp)$/.exec(f);
      if (!m) continue;
      const gen = Number(m[2]);
      if (gen < snapshotGen || m[3] === 'db.tmp') fs.rmSync(path.join(this.opts.dir, f), { force: true });
    }
  }

  /** After a compaction: removes every snapshot and journal older than `gen`. */
  private async removeOlderAsync(gen: number): Promise<void> {
    for (const f of await fs.promises.readdir(this.opts.dir)) {
      const m = /^(snapshot|journal)-(\d+)\.(db|log|db\.tmp)$/.exec(f);
      if (m && Number(m[2]) < gen) await fs.promises.rm(path.join(this.opts.dir, f), { force: true });
    }
  }

  private file(kind: 'snapshot' | 'journal', gen: number): string {
    return path.join(this.opts.dir, kind === 'snapshot' ? `snapshot-${gen}.db` : `journal-${gen}.log`);
  }
}

/**
 * The snapshot of the state as of `ts`, as framed records (the journal's framing): a meta
 * record, per collection its definition then its documents, an `end` record. Each record holds
 * at most ~`maxBytes` of documents, and is cut early once `sliceMs` of CPU went into it.
 */
function* snapshotChunks(gen: number, ts: number, colls: CollectionAt[], maxBytes: number, sliceMs: number): Generator<Buffer> {
  yield frame([BSON.serialize({ t: 'meta', gen, ts })]);
  for (const c of colls) {
    yield frame([BSON.serialize({ t: 'coll', ns: c.ns, opts: c.opts, indexes: c.indexes })]);
    let parts: Uint8Array[] = [];
    let bytes = 0;
    let t0 = performance.now();
    for (const v of c.coll.versionsAt(ts)) {
      // a frozen document's bytes as they are (collection.ts): the snapshot thaws nothing
      const part = withDocD(DOC_HEAD, v.bytes()!);
      parts.push(part);
      bytes += part.length;
      if (bytes >= maxBytes || performance.now() - t0 >= sliceMs) {
        yield frame(parts);
        parts = [];
        bytes = 0;
        t0 = performance.now();
      }
    }
    if (parts.length) yield frame(parts);
  }
  yield frame([BSON.serialize({ t: 'end' })]);
}

const DOC_HEAD = BSON.serialize({ t: 'doc' });

/** `[u32 length][u32 crc32][payload]`, as `encodeRecord` frames already serialised documents. */
function frame(parts: Uint8Array[]): Buffer {
  const payload = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

function writeAllSync(fd: number, buf: Buffer, position: number): number {
  for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off, position + off);
  return buf.length;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves when `journal` has nothing in flight, or after `maxWaitMs`. */
async function journalQuiet(journal: Journal, maxWaitMs: number): Promise<void> {
  if (journal.idle) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([journal.drain(), new Promise<void>((r) => { timer = setTimeout(r, maxWaitMs); })]);
  clearTimeout(timer);
}

async function createDurablyAsync(file: string): Promise<void> {
  await (await fs.promises.open(file, 'a')).close();
  await fsyncDirAsync(path.dirname(file));
}

async function fsyncDirAsync(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
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
