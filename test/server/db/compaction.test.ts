/**
 * Compaction of the embedded database without stopping the world (embedded-db/src/storage/durable.ts):
 * writes go on (and are acknowledged) while the snapshot is written; a crash at any point of it
 * loses none of them; the event loop is never blocked for long.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EJSON, ObjectId, type Document } from 'bson';
import { DataDirDamagedError, DataView, DurableStore, Transactions, type CompactionStep, type DurableOptions } from '@lianban/embedded-db';
import { tempDir } from './harness';

const dirs: string[] = [];
const newDir = () => {
  const d = tempDir('lianban-compact-test-');
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A case-like document of roughly `kb` KiB (nested objects and arrays, as the server stores). */
function caseDoc(i: number, kb = 2): Document {
  return {
    _id: new ObjectId(),
    caseNo: `LA2026${String(i).padStart(8, '0')}`,
    status: i % 3 ? 'in-progress' : 'completed',
    rev: 1,
    data: { applicant: { name: '测试人', idNumber: '340100196001010011' }, note: 'x'.repeat(200) },
    timeline: Array.from({ length: Math.max(1, Math.round(kb * 4)) }, (_, j) => ({ at: new Date(1_780_000_000_000 + j), kind: 'step', by: `staff-${j % 7}`, text: '材料齐全，予以受理'.repeat(8) })),
  };
}

class Db {
  txns: Transactions;
  constructor(readonly durable: DurableStore) {
    this.txns = new Transactions(durable.store);
  }

  static async open(dir: string, opts: Partial<DurableOptions> = {}): Promise<Db> {
    return new Db(await DurableStore.open({ dir, sync: true, ...opts }));
  }

  /** Runs `fn` as one command outside transactions and waits until its ops are durable (acknowledged). */
  async write(fn: (view: DataView) => void): Promise<void> {
    const view = new DataView(this.durable.store, this.txns);
    fn(view);
    await this.durable.log(view.ops);
  }

  /** Every collection's documents (by `_id`), its options and indexes: what a reopened database must show. */
  dump(): string {
    const out: Record<string, unknown> = {};
    for (const [ns, coll] of [...this.durable.store.collections].sort(([a], [b]) => a.localeCompare(b))) {
      const docs = [...coll.latest()].map(([, d]) => EJSON.stringify(d, { relaxed: false })).sort();
      out[ns] = { opts: coll.options, indexes: coll.indexes.specs(), docs };
    }
    return JSON.stringify(out);
  }
}

/** What a crash at this instant leaves on disk: the data files (not the lock) copied into a fresh directory. */
function crashCopy(dir: string): string {
  const to = newDir();
  for (const f of fs.readdirSync(dir)) if (/^(snapshot|journal)-\d+\.(db|log|db\.tmp)$/.test(f)) fs.copyFileSync(path.join(dir, f), path.join(to, f));
  return to;
}

const dataFiles = (dir: string) => fs.readdirSync(dir).filter((f) => /^(snapshot|journal)-/.test(f)).sort();

/** Every data file's bytes, by name: to check that a refused open changed nothing. */
const dataFileBytes = (dir: string) => Object.fromEntries(dataFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));

/** Bit rot: flips the byte in the middle of `file` (its end left intact); returns the file's size. */
function rot(file: string): number {
  const bytes = fs.readFileSync(file);
  bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
  fs.writeFileSync(file, bytes);
  return bytes.length;
}

/** Seeds `n` documents in `app.cases` (with a unique index) plus a small second collection. */
async function seed(db: Db, n: number): Promise<Document[]> {
  const docs = Array.from({ length: n }, (_, i) => caseDoc(i));
  db.durable.store.apply([{ o: 'index', ns: 'app.cases', spec: { v: 2, key: { caseNo: 1 }, name: 'caseNo_1', unique: true } }]);
  await db.durable.log([{ o: 'index', ns: 'app.cases', spec: { v: 2, key: { caseNo: 1 }, name: 'caseNo_1', unique: true } }]);
  for (let i = 0; i < n; i += 100) await db.write((v) => docs.slice(i, i + 100).forEach((d) => v.insert('app.cases', d)));
  await db.write((v) => v.insert('app.users', { _id: 'u1', name: '窗口人员' }));
  return docs;
}

describe('embedded database compaction without stopping the world', () => {
  it('should keep every write committed while a compaction is in progress after reopening', async () => {
    const dir = newDir();
    const steps: CompactionStep[] = [];
    let atSwitch = '';
    let db: Db = await Db.open(dir, {
      compactChunkBytes: 64 * 1024,
      onCompactionStep: (s) => {
        steps.push(s);
        if (s === 'switched') atSwitch = db.dump(); // called in the very tick of the switch
      },
    });
    const docs = await seed(db, 1500);
    // a transaction that began before the compaction and commits during it
    const txn = db.txns.begin('session-1', 1);
    new DataView(db.durable.store, db.txns, txn).replace('app.cases', { ...docs[1]!, status: 'in-txn' });

    const compaction = db.durable.compact();
    let during = 0;
    let k = 0;
    // when inserts, updates, deletes and DDL are acknowledged while the snapshot is being written
    while (!steps.includes('renamed') && k < 800) {
      const i = k++;
      await db.write((v) => {
        v.insert('app.cases', caseDoc(10_000 + i));
        v.replace('app.cases', { ...docs[100 + i]!, status: 'updated', rev: 2 });
        v.remove('app.cases', docs[600 + i]!);
      });
      if (i === 1) {
        const ops = db.txns.commit(txn);
        await db.durable.log(ops);
        db.durable.store.apply([{ o: 'drop', ns: 'app.users' }, { o: 'index', ns: 'app.events', spec: { v: 2, key: { at: 1 }, name: 'at_1' } }]);
        await db.durable.log([{ o: 'drop', ns: 'app.users' }, { o: 'index', ns: 'app.events', spec: { v: 2, key: { at: 1 }, name: 'at_1' } }]);
        await db.write((v) => v.insert('app.events', { _id: 'e1', at: new Date(1_780_000_000_000) }));
      }
      if (!steps.includes('renamed')) during++;
    }
    await compaction;
    expect(steps.filter((s) => s === 'chunk').length).toBeGreaterThan(10);
    expect(during).toBeGreaterThan(5);
    expect(dataFiles(dir)).toEqual(['journal-1.log', 'snapshot-1.db']);
    const expected = db.dump();
    expect(expected).toContain('in-txn');
    expect(expected).not.toContain('窗口人员');
    await db.durable.close();
    // the snapshot alone is the state at the switch (MVCC-pinned), not a blend with later writes
    const snapshotOnly = newDir();
    fs.copyFileSync(path.join(dir, 'snapshot-1.db'), path.join(snapshotOnly, 'snapshot-1.db'));
    const alone = await Db.open(snapshotOnly);
    expect(atSwitch).not.toBe(expected);
    expect(alone.dump()).toBe(atSwitch);
    await alone.durable.close();

    // then reopening (snapshot 1 + journal 1) shows exactly the acknowledged state
    db = await Db.open(dir);
    expect(db.durable.recovery).toMatchObject({ generation: 1, snapshotGeneration: 1, droppedBytes: 0 });
    expect(db.dump()).toBe(expected);
    expect(db.durable.store.get('app.cases')!.count).toBe(1500); // one insert and one delete per write
    // and the unique index came back from the snapshot
    await expect(db.write((v) => v.insert('app.cases', { ...caseDoc(0), caseNo: docs[0]!.caseNo }))).rejects.toMatchObject({ code: 11000 });
    await db.durable.close();
  });

  it('should reopen with exactly the acknowledged state after a crash at any point of a compaction', async () => {
    const dir = newDir();
    const crashes: { at: string; copy: string; expected: string }[] = [];
    let docs: Document[] = [];
    let chunks = 0;
    const onCompactionStep = async (step: CompactionStep) => {
      if (step === 'switched') {
        // acknowledged after the switch: only in journal-1, not in any snapshot
        await db.write((v) => v.insert('app.cases', caseDoc(20_000)));
        crashes.push({ at: 'after the journal switch, no snapshot file yet', copy: crashCopy(dir), expected: db.dump() });
      }
      if (step === 'chunk' && ++chunks === 3) {
        await db.write((v) => v.replace('app.cases', { ...docs[5]!, status: 'changed-mid-snapshot' }));
        await db.write((v) => v.remove('app.cases', docs[6]!));
        const copy = crashCopy(dir);
        expect(fs.readdirSync(copy)).toContain('snapshot-1.db.tmp');
        crashes.push({ at: 'half-way through the snapshot (.tmp left behind)', copy, expected: db.dump() });
        // the same instant, had the torn snapshot already carried its final name
        const torn = crashCopy(dir);
        fs.renameSync(path.join(torn, 'snapshot-1.db.tmp'), path.join(torn, 'snapshot-1.db'));
        crashes.push({ at: 'a torn snapshot under its final name', copy: torn, expected: db.dump() });
      }
      if (step === 'written') {
        await db.write((v) => v.insert('app.cases', caseDoc(20_001)));
        crashes.push({ at: 'snapshot fsynced, not yet renamed', copy: crashCopy(dir), expected: db.dump() });
      }
      if (step === 'renamed') {
        await db.write((v) => v.insert('app.cases', caseDoc(20_002)));
        const copy = crashCopy(dir);
        expect(dataFiles(copy)).toEqual(['journal-0.log', 'journal-1.log', 'snapshot-1.db']);
        crashes.push({ at: 'after the rename, before generation 0 is deleted', copy, expected: db.dump() });
      }
    };
    const db: Db = await Db.open(dir, { compactChunkBytes: 32 * 1024, onCompactionStep });
    docs = await seed(db, 400);
    await db.durable.compact();
    await db.write((v) => v.insert('app.cases', caseDoc(20_003)));
    crashes.push({ at: 'after the compaction', copy: crashCopy(dir), expected: db.dump() });
    await db.durable.close();
    expect(crashes).toHaveLength(6);

    for (const crash of crashes) {
      const reopened = await Db.open(crash.copy);
      expect(reopened.dump(), crash.at).toBe(crash.expected);
      // an incomplete snapshot is removed, a complete one makes older generations go
      expect(dataFiles(crash.copy).some((f) => f.endsWith('.tmp')), crash.at).toBe(false);
      // and it goes on: a new write and a compaction after recovery survive a reopening too
      await reopened.write((v) => v.insert('app.cases', caseDoc(30_000)));
      await reopened.durable.compact();
      const after = reopened.dump();
      await reopened.durable.close();
      const again = await Db.open(crash.copy);
      expect(again.dump(), crash.at).toBe(after);
      await again.durable.close();
    }
  });

  it('should refuse to open on a damaged snapshot whose older journals are gone, and rebuild without it when they are there', async () => {
    // given: a compaction's state right after the rename (generation 0 still there), and after it (gone)
    const dir = newDir();
    let beforeDelete = '';
    let expected = '';
    const onCompactionStep = async (step: CompactionStep) => {
      if (step === 'renamed') {
        beforeDelete = crashCopy(dir);
        expected = db.dump();
      }
    };
    const db: Db = await Db.open(dir, { compactChunkBytes: 32 * 1024, onCompactionStep });
    await seed(db, 300);
    await db.durable.compact();
    const after = db.dump();
    await db.durable.close();

    // when the snapshot is damaged after generation 0 was deleted
    rot(path.join(dir, 'snapshot-1.db'));
    expect(dataFiles(dir)).toEqual(['journal-1.log', 'snapshot-1.db']);
    const onDisk = dataFileBytes(dir);
    const err = await Db.open(dir).catch((e: unknown) => e);
    // then: a precise refusal, and nothing on disk changed (the data is still in the damaged file)
    expect(err).toBeInstanceOf(DataDirDamagedError);
    expect(err).toMatchObject({ file: 'snapshot-1.db', missingJournals: ['journal-0.log'] });
    expect((err as DataDirDamagedError).validBytes).toBeLessThan((err as DataDirDamagedError).size);
    expect((err as Error).message).toContain('请从备份恢复数据目录');
    expect(dataFileBytes(dir)).toEqual(onDisk);
    expect(after).not.toBe('');

    // when the same damage meets a directory where generation 0 is still on disk
    rot(path.join(beforeDelete, 'snapshot-1.db'));
    const rebuilt = await Db.open(beforeDelete);
    // then: every commit is rebuilt from the journals, the damaged file is kept aside, and it goes on
    expect(rebuilt.dump()).toBe(expected);
    expect(rebuilt.durable.recovery).toMatchObject({ snapshotGeneration: 0, generation: 1, damagedSnapshots: ['snapshot-1.db.damaged'] });
    expect(fs.readdirSync(beforeDelete)).toContain('snapshot-1.db.damaged');
    await rebuilt.durable.compact();
    const compacted = rebuilt.dump();
    await rebuilt.durable.close();
    const again = await Db.open(beforeDelete);
    expect(again.dump()).toBe(compacted);
    expect(again.durable.recovery.damagedSnapshots).toEqual([]);
    await again.durable.close();
  });

  it('should refuse to open on a damaged journal older than the newest instead of cutting it off', async () => {
    // given: a crash after the journal switch, journal-0 whole and journal-1 holding a later commit
    const dir = newDir();
    let copy = '';
    let expected = '';
    const onCompactionStep = async (step: CompactionStep) => {
      if (step === 'switched') {
        await db.write((v) => v.insert('app.cases', caseDoc(20_000)));
        copy = crashCopy(dir);
        expected = db.dump();
      }
    };
    const db: Db = await Db.open(dir, { compactChunkBytes: 32 * 1024, onCompactionStep });
    await seed(db, 200);
    await db.durable.compact();
    await db.durable.close();
    // the crash as it was reopens with every commit
    const whole = crashCopy(copy);
    const reopened = await Db.open(whole);
    expect(reopened.dump()).toBe(expected);
    await reopened.durable.close();

    // when: journal-0 rots in the middle
    const size = rot(path.join(copy, 'journal-0.log'));
    const before = dataFileBytes(copy);
    const err = await Db.open(copy).catch((e: unknown) => e);
    // then: refused, saying which file and where, and nothing on disk changed
    expect(err).toBeInstanceOf(DataDirDamagedError);
    expect(err).toMatchObject({ file: 'journal-0.log', missingJournals: [], size });
    expect((err as DataDirDamagedError).validBytes).toBeLessThan(size);
    expect((err as Error).message).toContain('截断它会丢失已确认的提交');
    expect(dataFileBytes(copy)).toEqual(before);
  });

  it('should stop a compaction cleanly when the database closes, keeping every acknowledged write', async () => {
    const dir = newDir();
    let closing: Promise<void> | undefined;
    const db: Db = await Db.open(dir, {
      compactChunkBytes: 16 * 1024,
      onCompactionStep: async (step) => {
        if (step !== 'chunk' || closing) return;
        await db.write((v) => v.insert('app.cases', caseDoc(40_000)));
        closing = db.durable.close();
      },
    });
    await seed(db, 300);
    await expect(db.durable.compact()).rejects.toThrow(/closing/);
    await closing;
    const expected = db.dump();
    expect(dataFiles(dir)).toEqual(['journal-0.log', 'journal-1.log']);
    const reopened = await Db.open(dir);
    expect(reopened.durable.recovery).toMatchObject({ generation: 1, snapshotGeneration: 0 });
    expect(reopened.dump()).toBe(expected);
    await reopened.durable.close();
  });

  it('should keep the event loop turning while compacting ~50 MB (no stall beyond 100 ms or a tenth of the compaction)', async () => {
    const dir = newDir();
    const db = await Db.open(dir, { sync: false });
    // ~6000 documents of ~9 KB, seeded straight into the store (the journal is not what is measured)
    const ops = Array.from({ length: 6000 }, (_, i) => ({ o: 'put' as const, ns: 'app.cases', d: caseDoc(i, 8) }));
    for (let i = 0; i < ops.length; i += 500) db.durable.store.apply(ops.slice(i, i + 500));
    await new Promise((r) => setTimeout(r, 20));
    let last = performance.now();
    let longest = 0;
    let turns = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      turns++;
    }, 1);
    const t0 = performance.now();
    const compaction = db.durable.compact();
    // meanwhile a writer goes on and is acknowledged
    let written = 0;
    while (written < 50) {
      await db.write((v) => v.insert('app.cases', caseDoc(50_000 + written)));
      written++;
    }
    await compaction;
    const total = performance.now() - t0;
    clearInterval(timer);
    expect(fs.statSync(path.join(dir, 'snapshot-1.db')).size).toBeGreaterThan(48 * 1024 * 1024);
    // The bound is 100 ms on a quiet machine (~10 ms measured); on a shared, overloaded one a
    // single GC or time slice lasts longer in wall time, so up to a tenth of the whole compaction
    // is tolerated — the one-go synchronous snapshot stalls for all of it.
    expect(longest).toBeLessThan(Math.max(100, total / 10));
    expect(turns).toBeGreaterThan(20);
    await db.durable.close();
  });
});
