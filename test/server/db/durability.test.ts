/** Journal, replay, compaction, crash safety and the data-directory lock of the embedded server. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { DataDirLockedError, startEmbeddedServer, sweepTtl } from '@lianban/embedded-db';
import { tempDir } from './harness';

const root = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
const newDir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Starts `npm run db`'s entry point in a child process; resolves once it listens. */
function startChild(dbpath: string): Promise<{ child: ChildProcess; uri: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'embedded-db/src/cli.ts'), '--port', '0', '--dbpath', dbpath, '--print-uri'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /URI: (mongodb:\/\/\S+)/.exec(out);
      if (m) resolve({ child, uri: m[1]!, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`db child exited with ${code}: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

describe('embedded server durability', () => {
  it('should lose no acknowledged insert when the server process is killed with SIGKILL mid-stream', async () => {
    const dir = newDir();
    const first = await startChild(dir);
    const client = new MongoClient(first.uri, { serverSelectionTimeoutMS: 3000, retryWrites: false });
    const acked: number[] = [];
    const writers = Array.from({ length: 4 }, async (_, w) => {
      const coll = client.db('crash').collection('events');
      for (let i = 0; ; i++) {
        try {
          await coll.insertOne({ _id: w * 1_000_000 + i, payload: 'x'.repeat(200) } as never);
          acked.push(w * 1_000_000 + i);
        } catch {
          return; // the server is gone
        }
      }
    });
    while (acked.length < 300) await new Promise((r) => setTimeout(r, 10));
    first.child.kill('SIGKILL');
    await exited(first.child);
    await Promise.all(writers);
    await client.close(true);

    // the stale lock of the killed process is taken over
    const second = await startChild(dir);
    const reader = new MongoClient(second.uri, { serverSelectionTimeoutMS: 3000 });
    try {
      const ids = new Set((await reader.db('crash').collection('events').find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id as unknown as number));
      expect(acked.length).toBeGreaterThanOrEqual(300);
      expect(acked.filter((id) => !ids.has(id))).toEqual([]);
    } finally {
      await reader.close();
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });

  it('should drop a torn last journal record and keep everything before it', async () => {
    const dir = newDir();
    let server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    let client = new MongoClient(server.uri);
    await client.db('torn').collection('c').insertMany([{ _id: 1 }, { _id: 2 }] as never[]);
    await client.db('torn').collection('c').insertOne({ _id: 3 } as never);
    await client.close();
    await server.close();
    const journal = path.join(dir, 'journal-0.log');
    const whole = fs.readFileSync(journal);
    // cut the last record in half, as a crash in the middle of a write would
    fs.truncateSync(journal, whole.length - 10);
    server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    expect(server.recovery.droppedBytes).toBeGreaterThan(0);
    client = new MongoClient(server.uri);
    expect((await client.db('torn').collection('c').find().toArray()).map((d) => d._id)).toEqual([1, 2]);
    // the journal was cut back to whole records: new writes append cleanly and survive
    await client.db('torn').collection('c').insertOne({ _id: 4 } as never);
    await client.close();
    await server.close();
    fs.appendFileSync(journal, Buffer.from([1, 2, 3])); // garbage tail
    server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    client = new MongoClient(server.uri);
    expect((await client.db('torn').collection('c').find().toArray()).map((d) => d._id)).toEqual([1, 2, 4]);
    await client.close();
    await server.close();
  });

  it('should replay a command that waited half-way for a transaction in the order its writes happened', async () => {
    const dir = newDir();
    let server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    let client = new MongoClient(server.uri);
    const c = client.db('order').collection<{ _id: string; v: number }>('c');
    await c.insertMany([{ _id: 'x', v: 0 }, { _id: 'y', v: 0 }]);
    const session = client.startSession();
    session.startTransaction();
    await c.updateOne({ _id: 'y' }, { $set: { v: 10 } }, { session }); // the transaction holds y
    // one command: x first (applied at once), then y (waits for the transaction)
    const batch = c.bulkWrite([{ updateOne: { filter: { _id: 'x' }, update: { $set: { v: 1 } } } }, { updateOne: { filter: { _id: 'y' }, update: { $set: { v: 1 } } } }], { ordered: true });
    await new Promise((r) => setTimeout(r, 100));
    await c.updateOne({ _id: 'x' }, { $set: { v: 2 } }); // a later write of x, acknowledged while the batch waits
    await session.commitTransaction();
    await batch;
    await session.endSession();
    const before = await c.find().sort({ _id: 1 }).toArray();
    expect(before).toEqual([{ _id: 'x', v: 2 }, { _id: 'y', v: 1 }]);
    await client.close();
    await server.close();
    server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    client = new MongoClient(server.uri);
    expect(await client.db('order').collection('c').find().sort({ _id: 1 }).toArray()).toEqual(before);
    await client.close();
    await server.close();
  });

  it('should compact into a snapshot, truncate the journal, and restore indexes and data from it', async () => {
    const dir = newDir();
    let server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    let client = new MongoClient(server.uri);
    const c = client.db('cmp').collection('c');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertMany(Array.from({ length: 100 }, (_, i) => ({ email: `u${i}@x`, i })));
    await c.deleteMany({ i: { $gte: 50 } });
    await server.compact();
    expect(fs.readdirSync(dir).sort()).toEqual(['journal-1.log', 'lianban-db.id', 'lianban-db.key', 'lianban-db.lock', 'snapshot-1.db']);
    expect(fs.statSync(path.join(dir, 'journal-1.log')).size).toBe(0);
    await c.insertOne({ email: 'after@x', i: 1000 });
    await client.close();
    await server.close();
    server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    expect(server.recovery).toMatchObject({ generation: 1, journalRecords: 1 });
    client = new MongoClient(server.uri);
    const again = client.db('cmp').collection('c');
    expect(await again.countDocuments()).toBe(51);
    await expect(again.insertOne({ email: 'u1@x' })).rejects.toMatchObject({ code: 11000 });
    await client.close();
    await server.close();
  });

  it('should compact again only after the journal outgrows the last snapshot (no quadratic rewrites)', async () => {
    const dir = newDir();
    const server = await startEmbeddedServer({ dbpath: dir, port: 0, compactBytes: 16 * 1024 });
    const client = new MongoClient(server.uri);
    const c = client.db('grow').collection('c');
    const generation = () => Math.max(0, ...fs.readdirSync(dir).map((f) => Number(/^snapshot-(\d+)\.db$/.exec(f)?.[1] ?? 0)));
    const settle = async () => { for (let i = 0; i < 50 && fs.readdirSync(dir).some((f) => f.endsWith('.tmp')); i++) await new Promise((r) => setTimeout(r, 10)); };
    // when ~256 KiB of documents are written in 1 KiB commits over a 16 KiB threshold
    const pad = 'x'.repeat(1000);
    let compactions = 0;
    for (let i = 0; i < 256; i++) {
      const before = generation();
      await c.insertOne({ i, pad });
      await settle();
      if (generation() > before) compactions++;
    }
    // then the snapshots doubled in size instead of being rewritten every 16 KiB (that would be ~16)
    expect(compactions).toBeGreaterThanOrEqual(2);
    expect(compactions).toBeLessThanOrEqual(6);
    expect(await c.countDocuments()).toBe(256);
    await client.close();
    await server.close();
  });

  it('should refuse a second owner of the data directory with a clear message', async () => {
    const dir = newDir();
    const server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    try {
      const err = await startEmbeddedServer({ dbpath: dir, port: 0 }).catch((e) => e);
      expect(err).toBeInstanceOf(DataDirLockedError);
      expect(err.message).toContain(String(process.pid));
      expect(err.uri).toBe(server.address);
    } finally {
      await server.close();
    }
    const reopened = await startEmbeddedServer({ dbpath: dir, port: 0 });
    await reopened.close();
  });

  it('should expire documents of a TTL index and journal the deletions', async () => {
    const dir = newDir();
    let server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    let client = new MongoClient(server.uri);
    const c = client.db('ttl').collection('sessions');
    await c.createIndex({ lastSeen: 1 }, { expireAfterSeconds: 60 });
    await c.insertMany([{ s: 'old', lastSeen: new Date(Date.now() - 120_000) }, { s: 'new', lastSeen: new Date() }, { s: 'none' }]);
    await sweepTtl(server.engine, Date.now(), true);
    expect((await c.find().toArray()).map((d) => d.s)).toEqual(['new', 'none']);
    await client.close();
    await server.close();
    server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    client = new MongoClient(server.uri);
    expect(await client.db('ttl').collection('sessions').countDocuments()).toBe(2);
    await client.close();
    await server.close();
  });
});
