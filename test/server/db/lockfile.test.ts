/**
 * The data-directory lock after crashes (issue #25): a stale lock — zombie holder, reused pid,
 * nothing answering at its URI — is taken over; a live holder answering as this database is
 * still refused, and the server's cascade still connects to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BSON } from 'bson';
import { MongoClient } from 'mongodb';
import { configFromEnv, openDatabase } from '@lianban/server';
import { DataDirLockedError, startEmbeddedServer } from '@lianban/embedded-db';
import { startDbChild } from '../child-server';
import { tempDir } from './harness';

const root = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(root, 'embedded-db/src/cli.ts');
const hasProc = fs.existsSync('/proc/self/stat');
const dirs: string[] = [];
const children: ChildProcess[] = [];
const newDir = () => {
  const d = tempDir('lianban-lock-test-');
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Field 3 (state) and 22 (start ticks) of /proc/<pid>/stat. */
function stat(pid: number | 'self'): { state: string; start: string } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: f[0]!, start: f[19]! };
  } catch {
    return undefined;
  }
}
const ownIdentity = () => (hasProc ? `${stat('self')!.start} ${fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}` : '');
const lockFile = (dir: string) => path.join(dir, 'lianban-db.lock');

/** A port nothing listens on (just released). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Puts some data in `dir`, then closes cleanly. */
async function seed(dir: string): Promise<void> {
  const server = await startEmbeddedServer({ dbpath: dir, port: 0 });
  const client = new MongoClient(server.uri);
  await client.db('lock').collection('docs').insertOne({ k: 'seeded' });
  await client.close();
  await server.close();
}

async function seededCount(uri: string): Promise<number> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
  try {
    return await client.db('lock').collection('docs').countDocuments({ k: 'seeded' });
  } finally {
    await client.close();
  }
}

/**
 * The DB child under a parent that does not reap it: the parent blocks its event loop on a
 * synchronous stdin read, and libuv reaps only when the loop runs. Ending its stdin lets it reap and exit.
 */
function startUnreapedDbChild(dbpath: string): Promise<{ parent: ChildProcess; pid: number; uri: string }> {
  const script = `
    const { spawn } = require('node:child_process');
    const fs = require('node:fs');
    const c = spawn(process.execPath, ['--import', 'tsx', ${JSON.stringify(cli)}, '--port', '0', '--dbpath', process.argv[1], '--print-uri'], { stdio: ['ignore', 'inherit', 'inherit'] });
    fs.writeSync(1, 'DBPID ' + c.pid + '\\n');
    try { fs.readSync(0, Buffer.alloc(1)); } catch {}
    c.on('exit', () => process.exit(0));`;
  const parent = spawn(process.execPath, ['-e', script, dbpath], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(parent);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const pid = /DBPID (\d+)/.exec(out);
      const uri = /URI: (mongodb:\/\/\S+)/.exec(out);
      if (pid && uri) resolve({ parent, pid: Number(pid[1]), uri: uri[1]! });
    };
    parent.stdout!.on('data', onData);
    parent.stderr!.on('data', onData);
    parent.on('exit', (code) => reject(new Error(`holding parent exited with ${code}: ${out}`)));
  });
}

describe('data directory lock after a crash', () => {
  it.skipIf(!hasProc)('should restart on the directory of a SIGKILLed holder that is still an unreaped zombie, losing no acknowledged write', async () => {
    const dir = newDir();
    const first = await startUnreapedDbChild(dir);
    const client = new MongoClient(first.uri, { serverSelectionTimeoutMS: 3000, retryWrites: false });
    const acked: number[] = [];
    const writers = Array.from({ length: 3 }, async (_, w) => {
      const coll = client.db('crash').collection('events');
      for (let i = 0; ; i++) {
        try {
          await coll.insertOne({ _id: w * 1_000_000 + i } as never);
          acked.push(w * 1_000_000 + i);
        } catch {
          return; // the server is gone
        }
      }
    });
    while (acked.length < 200) await new Promise((r) => setTimeout(r, 10));
    process.kill(first.pid, 'SIGKILL');
    await Promise.all(writers);
    await client.close(true);
    // the killed holder lingers as a zombie, so `kill(pid, 0)` still says "alive"
    for (let i = 0; i < 100 && stat(first.pid)?.state !== 'Z'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(stat(first.pid)?.state).toBe('Z');
    expect(fs.readFileSync(lockFile(dir), 'utf8').split('\n')[0]).toBe(String(first.pid));

    const second = await startEmbeddedServer({ dbpath: dir, port: 0 });
    try {
      expect(fs.readFileSync(lockFile(dir), 'utf8').split('\n')[0]).toBe(String(process.pid));
      const reader = new MongoClient(second.uri);
      const ids = new Set((await reader.db('crash').collection('events').find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id as unknown as number));
      await reader.close();
      expect(acked.filter((id) => !ids.has(id))).toEqual([]);
    } finally {
      await second.close();
      first.parent.stdin!.end(); // let the parent reap its zombie and exit
      await new Promise((r) => (first.parent.exitCode !== null ? r(null) : first.parent.once('exit', r)));
    }
    expect(stat(first.pid)).toBeUndefined();
  });

  it('should take over a lock naming a live unrelated process (the test runner) whose URI nothing answers', async () => {
    for (const identity of [ownIdentity(), '']) {
      const dir = newDir();
      await seed(dir);
      fs.writeFileSync(lockFile(dir), `${process.pid}\nmongodb://127.0.0.1:${await closedPort()}/?replicaSet=lianban\n${identity}\n`);
      const server = await startEmbeddedServer({ dbpath: dir, port: 0 });
      try {
        expect(await seededCount(server.uri)).toBe(1);
      } finally {
        await server.close();
      }
      expect(fs.existsSync(lockFile(dir))).toBe(false);
    }
  });

  it("should answer the data directory's id in hello, the same across restarts", async () => {
    const dir = newDir();
    for (let i = 0; i < 2; i++) {
      const server = await startEmbeddedServer({ dbpath: dir, port: 0 });
      const client = new MongoClient(server.uri);
      const hello = await client.db('admin').command({ hello: 1 });
      await client.close();
      await server.close();
      expect(hello.lianbanDataDirId).toBe(fs.readFileSync(path.join(dir, 'lianban-db.id'), 'utf8'));
      expect(hello.lianbanDataDirId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('should take over a lock whose URI is served by another database', async () => {
    const other = await startEmbeddedServer({ dbpath: newDir(), port: 0 });
    const dir = newDir();
    await seed(dir);
    fs.writeFileSync(lockFile(dir), `${process.pid}\n${other.uri}\n${ownIdentity()}\n`);
    try {
      const server = await startEmbeddedServer({ dbpath: dir, port: 0 });
      expect(await seededCount(server.uri)).toBe(1);
      await server.close();
    } finally {
      await other.close();
    }
  });

  it('should count a holder answering without a directory id (an older version) as alive only while its pid is', async () => {
    // a wire-protocol server whose hello carries no lianbanDataDirId
    const legacy = net.createServer((socket) =>
      socket.once('data', (req: Buffer) => {
        const body = BSON.serialize({ isWritablePrimary: true, maxWireVersion: 21, ok: 1 });
        const head = Buffer.alloc(21);
        head.writeInt32LE(21 + body.length, 0);
        head.writeInt32LE(req.readInt32LE(4), 8);
        head.writeInt32LE(2013, 12);
        socket.write(Buffer.concat([head, body]));
      }),
    );
    await new Promise<void>((r) => legacy.listen(0, '127.0.0.1', () => r()));
    const uri = `mongodb://127.0.0.1:${(legacy.address() as net.AddressInfo).port}/?replicaSet=lianban`;
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    try {
      const dir = newDir();
      fs.writeFileSync(lockFile(dir), `${process.pid}\n${uri}\n${ownIdentity()}\n`);
      const err = await startEmbeddedServer({ dbpath: dir, port: 0 }).catch((e) => e);
      expect(err).toBeInstanceOf(DataDirLockedError);
      expect(err.uri).toBe(uri);
      fs.writeFileSync(lockFile(dir), `${gone.pid}\n${uri}\n\n`);
      const server = await startEmbeddedServer({ dbpath: dir, port: 0 });
      await server.close();
    } finally {
      await new Promise((r) => legacy.close(r));
    }
  });

  it.skipIf(!hasProc)('should take over a lock without URI whose pid now belongs to another process, but not one of a live starting holder', async () => {
    const dir = newDir();
    // the same pid, but a process started at another time: the pid was given to someone else
    fs.writeFileSync(lockFile(dir), `${process.pid}\n\n1 ${ownIdentity().split(' ')[1]}\n`);
    const server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    await server.close();
    // the holder itself, still replaying before it listens: refused, with no URI to offer
    fs.writeFileSync(lockFile(dir), `${process.pid}\n\n${ownIdentity()}\n`);
    const err = await startEmbeddedServer({ dbpath: dir, port: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect(err.uri).toBeUndefined();
    fs.rmSync(lockFile(dir));
  });

  it('should let exactly one of several concurrent openers take over a stale lock', async () => {
    const dir = newDir();
    await seed(dir);
    fs.writeFileSync(lockFile(dir), `${process.pid}\nmongodb://127.0.0.1:${await closedPort()}/?replicaSet=lianban\n\n`);
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => startEmbeddedServer({ dbpath: dir, port: 0 })));
    const opened = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    try {
      expect(opened).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DataDirLockedError);
    } finally {
      for (const s of opened) await s.close();
    }
  });

  it('should still refuse a live holder in another process that answers, and the cascade connects to it', async () => {
    const dir = newDir();
    const holder = await startDbChild(dir);
    children.push(holder.child);
    const err = await startEmbeddedServer({ dbpath: dir, port: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    // The lock file names the address only; the cascade adds the credentials from the key file.
    expect(err.uri).toBe(holder.address);
    expect(err.message).toBe(`数据目录 ${dir} 已被进程 ${holder.child.pid} 占用 / data directory ${dir} is in use by process ${holder.child.pid} serving ${holder.address}; connect to that process instead, or stop it first`);

    const db = await openDatabase({ ...configFromEnv({}), dataDir: dir, webRoot: '/nonexistent' }, { tryMongod: false });
    try {
      expect(db.mode).toBe('embedded-compatible');
      expect(db.embedded).toBeUndefined();
      expect(db.uri).toBe(holder.uri);
    } finally {
      await db.close();
      holder.child.kill('SIGTERM');
      await new Promise((r) => (holder.child.exitCode !== null ? r(null) : holder.child.once('exit', r)));
    }
  });

  it('should make the cascade wait for an owner that has locked the directory but does not serve yet', async () => {
    const dir = newDir();
    fs.writeFileSync(lockFile(dir), `${process.pid}\n\n${ownIdentity()}\n`); // alive, replaying its journal
    const started = Date.now();
    setTimeout(() => fs.rmSync(lockFile(dir)), 500); // …and gone again without serving
    const db = await openDatabase({ ...configFromEnv({}), dataDir: dir, webRoot: '/nonexistent' }, { tryMongod: false });
    try {
      expect(db.mode).toBe('embedded-compatible');
      expect(db.embedded).toBeDefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    } finally {
      await db.close();
    }
  });
});
