/**
 * The append-only journal with group commit: `append(ops)` frames one record, and resolves once
 * it is written and fdatasync'ed. Records queued while a sync is running go out together in
 * the next write, so concurrent writers share one fsync. Records reach the file in append order.
 */
import fs from 'node:fs';
import type { Document } from 'bson';
import { encodeRecord } from './records';

/**
 * How long commits wait for the disk, for `serverStatus.lianban.journal` (stats.ts): group
 * writes, their fdatasync time (total and the longest), and each commit's wait from `append` to
 * durable (total and the longest) — the part of a write's latency that is the journal's. The
 * longest are since the last `takeJournalTimes()`; the rest are totals since the process began.
 */
export interface JournalTimes {
  groups: number;
  syncMs: number;
  syncMaxMs: number;
  commits: number;
  commitWaitMs: number;
  commitWaitMaxMs: number;
}
const times: JournalTimes = { groups: 0, syncMs: 0, syncMaxMs: 0, commits: 0, commitWaitMs: 0, commitWaitMaxMs: 0 };

/** The journal's times so far (every journal of this process); starts a new window for the longest. */
export function takeJournalTimes(): JournalTimes {
  const out = { ...times };
  times.syncMaxMs = 0;
  times.commitWaitMaxMs = 0;
  return out;
}


export class Journal {
  private fd: number;
  /** Bytes in the file (and where the next record goes). */
  size: number;
  private queue: Buffer[] = [];
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private flushing: Promise<void> | null = null;
  /** Set after a failed write: the file may hold a partial record, so nothing more is appended. */
  private failure: Error | null = null;

  constructor(
    readonly path: string,
    size: number,
    private readonly sync = true,
  ) {
    this.fd = fs.openSync(path, 'r+');
    this.size = size;
  }

  /** True when nothing is queued or being written. */
  get idle(): boolean {
    return this.queue.length === 0 && this.flushing === null;
  }

  /** Queues one record; resolves when it is durable. */
  append(docs: Document[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const record = encodeRecord(docs);
    const queued = performance.now();
    return new Promise<void>((resolve, reject) => {
      this.queue.push(record);
      this.waiters.push({
        resolve: () => {
          const waited = performance.now() - queued;
          times.commits++;
          times.commitWaitMs += waited;
          if (waited > times.commitWaitMaxMs) times.commitWaitMaxMs = waited;
          resolve();
        },
        reject,
      });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  /** Resolves when everything appended so far is durable. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private async flush(): Promise<void> {
    // Let the current tick queue more records, so one write + one fsync serves them all.
    await new Promise((r) => setImmediate(r));
    while (this.queue.length) {
      const batch = Buffer.concat(this.queue);
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      try {
        let off = 0;
        while (off < batch.length) {
          const { bytesWritten } = await writeAt(this.fd, batch, off, this.size + off);
          off += bytesWritten;
        }
        if (this.sync) {
          const t0 = performance.now();
          await fdatasync(this.fd);
          const took = performance.now() - t0;
          times.syncMs += took;
          if (took > times.syncMaxMs) times.syncMaxMs = took;
        }
        times.groups++;
        this.size += batch.length;
        for (const w of waiters) w.resolve();
      } catch (err) {
        this.failure = new Error(`journal write failed, refusing further writes: ${(err as Error).message}`);
        for (const w of [...waiters, ...this.waiters]) w.reject(this.failure);
        this.queue = [];
        this.waiters = [];
      }
    }
    this.flushing = null;
  }
}

function writeAt(fd: number, buf: Buffer, off: number, position: number): Promise<{ bytesWritten: number }> {
  return new Promise((resolve, reject) =>
    fs.write(fd, buf, off, buf.length - off, position, (err, bytesWritten) => (err ? reject(err) : resolve({ bytesWritten }))),
  );
}

function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}
