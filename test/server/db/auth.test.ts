/**
 * The embedded database requires credentials (issue #17, finding 16): SCRAM-SHA-256 with the
 * random secret of `<dbpath>/lianban-db.key` (mode 0600). Before authenticating, a connection may
 * run only the handshake (hello — the lock's liveness probe relies on it), authentication, ping,
 * buildInfo and connectionStatus; everything else answers Unauthorized (13).
 */
import { spawn } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSON } from 'bson';
import { MongoClient, MongoServerError } from 'mongodb';
import { DB_USER, KEY_FILE, readCredentials, startEmbeddedServer, uriWithCredentials, type EmbeddedServer } from '@lianban/embedded-db';
import { configFromEnv, openDatabase } from '@lianban/server';
import { startDbChild } from '../child-server';
import { tempDir } from './harness';

/** A raw connection: `send` one OP_MSG command, resolves with the reply document. */
function rawConnection(port: number): Promise<{ send(doc: object): Promise<Record<string, any>>; close(): void }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve({ send, close: () => s.destroy() }));
    s.on('error', reject);
    let buf = Buffer.alloc(0);
    let waiting: ((doc: Record<string, any>) => void) | undefined;
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (waiting && buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
        const doc = BSON.deserialize(buf.subarray(21, buf.readInt32LE(0)));
        buf = buf.subarray(buf.readInt32LE(0));
        const w = waiting;
        waiting = undefined;
        w(doc);
      }
    });
    function send(doc: object): Promise<Record<string, any>> {
      const body = BSON.serialize(doc);
      const head = Buffer.alloc(21);
      head.writeInt32LE(21 + body.length, 0);
      head.writeInt32LE(1, 4);
      head.writeInt32LE(2013, 12);
      return new Promise((r) => {
        waiting = r;
        s.write(Buffer.concat([head, body]));
      });
    }
  });
}

async function rawCommand(port: number, doc: object): Promise<Record<string, any>> {
  const conn = await rawConnection(port);
  try {
    return await conn.send(doc);
  } finally {
    conn.close();
  }
}

const text = (b: { buffer: Uint8Array; position: number }) => Buffer.from(b.buffer.subarray(0, b.position)).toString('utf8');
const hmac = (key: Buffer, msg: string) => createHmac('sha256', key).update(msg).digest();

describe('embedded database authentication', () => {
  let server: EmbeddedServer;
  let dir: string;
  beforeAll(async () => {
    dir = path.join(tempDir(), 'data'); // created by the server
    server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    const client = new MongoClient(server.uri);
    await client.db('lianban').collection('accounts').insertOne({ username: 'luan.admin', passwordHash: 'scrypt$secret' });
    await client.close();
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('should keep the secret in a key file only its owner can read, in a private data directory', () => {
    const keyFile = path.join(dir, KEY_FILE);
    expect(server.keyFile).toBe(keyFile);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const { user, password } = readCredentials(dir);
    expect(user).toBe(DB_USER);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(server.uri).toBe(uriWithCredentials(server.address, { user, password }));
    expect(server.address).not.toContain(password);
    // the lock file advertises the address, never the secret
    expect(fs.readFileSync(path.join(dir, 'lianban-db.lock'), 'utf8')).not.toContain(password);
  });

  it('should serve the driver that brings the credentials (SCRAM-SHA-256)', async () => {
    const client = new MongoClient(server.uri);
    try {
      expect(await client.db('lianban').collection('accounts').findOne({ username: 'luan.admin' })).toMatchObject({ passwordHash: 'scrypt$secret' });
      const status = await client.db('admin').command({ connectionStatus: 1 });
      expect(status.authInfo.authenticatedUsers).toEqual([{ user: DB_USER, db: 'admin' }]);
    } finally {
      await client.close();
    }
    const explicit = new MongoClient(`${server.uri}&authMechanism=SCRAM-SHA-256`);
    try {
      expect(await explicit.db('lianban').collection('accounts').countDocuments()).toBe(1);
    } finally {
      await explicit.close();
    }
  });

  it('should refuse find on the accounts collection without credentials with Unauthorized (13)', async () => {
    const client = new MongoClient(server.address, { serverSelectionTimeoutMS: 3000 });
    try {
      const err = await client.db('lianban').collection('accounts').findOne({}).catch((e) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err).toMatchObject({ code: 13, codeName: 'Unauthorized' });
      await expect(client.db('lianban').collection('accounts').insertOne({ username: 'intruder' })).rejects.toMatchObject({ code: 13 });
      await expect(client.db('admin').command({ listDatabases: 1 })).rejects.toMatchObject({ code: 13 });
      await expect(client.db('admin').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
    // on the raw wire as well: hello answers (with the directory id the liveness probe reads), find does not
    expect(await rawCommand(server.port, { hello: 1, $db: 'admin' })).toMatchObject({ ok: 1, isWritablePrimary: true, lianbanDataDirId: expect.any(String) });
    expect(await rawCommand(server.port, { find: 'accounts', filter: {}, $db: 'lianban' })).toMatchObject({ ok: 0, code: 13, codeName: 'Unauthorized' });
  });

  it('should fail authentication with a wrong password or an unknown user', async () => {
    const { user, password } = readCredentials(dir);
    for (const creds of [{ user, password: `${password.slice(0, -1)}x` }, { user: 'root', password }]) {
      const client = new MongoClient(uriWithCredentials(server.address, creds), { serverSelectionTimeoutMS: 3000 });
      try {
        await expect(client.db('lianban').collection('accounts').findOne({})).rejects.toMatchObject({ code: 18, codeName: 'AuthenticationFailed' });
      } finally {
        await client.close();
      }
    }
  });

  it('should run the full RFC 5802 exchange for clients that do not skip the empty last step (e.g. older shells)', async () => {
    const { user, password } = readCredentials(dir);
    const conn = await rawConnection(server.port);
    try {
      const clientNonce = randomBytes(18).toString('base64');
      const first = `n=${user},r=${clientNonce}`;
      const start = await conn.send({ saslStart: 1, mechanism: 'SCRAM-SHA-256', payload: Buffer.from(`n,,${first}`), $db: 'admin' });
      expect(start).toMatchObject({ ok: 1, done: false });
      const serverFirst = text(start.payload);
      const attrs = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
      expect(attrs.r!.startsWith(clientNonce)).toBe(true);
      expect(Number(attrs.i)).toBeGreaterThanOrEqual(4096);
      const salted = pbkdf2Sync(password, Buffer.from(attrs.s!, 'base64'), Number(attrs.i), 32, 'sha256');
      const clientKey = hmac(salted, 'Client Key');
      const withoutProof = `c=biws,r=${attrs.r}`;
      const authMessage = `${first},${serverFirst},${withoutProof}`;
      const signature = hmac(createHash('sha256').update(clientKey).digest(), authMessage);
      const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!)).toString('base64');
      // before the proof, the connection is still refused
      expect(await conn.send({ find: 'accounts', $db: 'lianban' })).toMatchObject({ ok: 0, code: 13 });
      const final = await conn.send({ saslContinue: 1, conversationId: start.conversationId, payload: Buffer.from(`${withoutProof},p=${proof}`), $db: 'admin' });
      expect(final).toMatchObject({ ok: 1, done: false });
      expect(text(final.payload)).toBe(`v=${hmac(hmac(salted, 'Server Key'), authMessage).toString('base64')}`);
      expect(await conn.send({ saslContinue: 1, conversationId: start.conversationId, payload: Buffer.alloc(0), $db: 'admin' })).toMatchObject({ ok: 1, done: true });
      expect(await conn.send({ find: 'accounts', filter: {}, $db: 'lianban' })).toMatchObject({ ok: 1, cursor: { firstBatch: [expect.objectContaining({ username: 'luan.admin' })] } });
    } finally {
      conn.close();
    }
    // SCRAM-SHA-256 only: other mechanisms are MechanismUnavailable (334)
    const other = await rawConnection(server.port);
    try {
      const start = await other.send({ saslStart: 1, mechanism: 'SCRAM-SHA-1', payload: Buffer.from(`n,,n=${user},r=abc`), $db: 'admin' });
      expect(start).toMatchObject({ ok: 0, code: 334 });
    } finally {
      other.close();
    }
  });

  it('should keep the same secret across restarts and tighten a key file others could read', async () => {
    const before = readCredentials(dir).password;
    await server.close();
    fs.chmodSync(path.join(dir, KEY_FILE), 0o644);
    server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    expect(readCredentials(dir).password).toBe(before);
    expect(fs.statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const client = new MongoClient(server.uri);
    try {
      expect(await client.db('lianban').collection('accounts').countDocuments()).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('npm run db and the cascade with credentials', () => {
  it('should print the URI with the password masked and say where the key file is', async () => {
    const base = tempDir();
    const dbpath = path.join(base, 'data');
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../../../embedded-db/src/cli.ts'), '--port', '0', '--dbpath', dbpath], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d) => ((out += d), /凭据在.*\n/.test(out) && resolve()));
        child.stderr!.on('data', (d) => (out += d));
        child.on('exit', () => reject(new Error(out)));
      });
      expect(out).toMatch(/URI: mongodb:\/\/lianban:\*\*\*\*@127\.0\.0\.1:\d+\/\?replicaSet=lianban&authSource=admin/);
      expect(out).toContain(`凭据在 ${path.join(dbpath, KEY_FILE)}`);
      expect(out).toContain('--print-uri');
      expect(out).not.toContain(readCredentials(dbpath).password);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('should print the full connection string with --print-uri, and the cascade should connect to that owner with the key file', async () => {
    const base = tempDir();
    const dbpath = path.join(base, 'data');
    const holder = await startDbChild(dbpath); // --print-uri
    try {
      const { password } = readCredentials(dbpath);
      expect(holder.uri).toContain(password);
      // the platform process finds the owner through the lock file and reads the key file
      const db = await openDatabase({ ...configFromEnv({}), dataDir: dbpath, webRoot: '/nonexistent' }, { tryMongod: false });
      try {
        expect(db.embedded).toBeUndefined();
        expect(db.uri).toBe(holder.uri);
        await db.connection!.collection('accounts').insertOne({ username: 'via-cascade' });
        expect(await db.connection!.collection('accounts').countDocuments()).toBe(1);
      } finally {
        await db.close();
      }
    } finally {
      holder.child.kill('SIGTERM');
      await new Promise((r) => (holder.child.exitCode !== null ? r(null) : holder.child.once('exit', r)));
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
