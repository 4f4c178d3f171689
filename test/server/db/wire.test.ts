/** The embedded server's wire layer and error behaviour (always the embedded server: no MONGODB_URI). */
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSON } from 'bson';
import { MongoClient } from 'mongodb';
import { crc32c, startEmbeddedServer, type EmbeddedServer } from '@lianban/embedded-db';
import { tempDir } from './harness';

/** Sends raw bytes; resolves with what came back before the server closed or `ms` passed. */
function exchange(port: number, bytes: Buffer, ms = 300): Promise<{ reply: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    const timer = setTimeout(() => (s.destroy(), resolve({ reply: Buffer.concat(chunks), closed: false })), ms);
    s.on('data', (d) => chunks.push(d));
    s.on('close', () => (clearTimeout(timer), resolve({ reply: Buffer.concat(chunks), closed: true })));
    s.on('error', () => {});
  });
}

function opMsg(doc: object, opts: { checksum?: boolean; badChecksum?: boolean } = {}): Buffer {
  const body = BSON.serialize(doc);
  const len = 21 + body.length + (opts.checksum ? 4 : 0);
  const head = Buffer.alloc(21);
  head.writeInt32LE(len, 0);
  head.writeInt32LE(7, 4);
  head.writeInt32LE(2013, 12);
  head.writeUInt32LE(opts.checksum ? 1 : 0, 16);
  const msg = Buffer.concat([head, body]);
  if (!opts.checksum) return msg;
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE((crc32c(msg) + (opts.badChecksum ? 1 : 0)) >>> 0, 0);
  return Buffer.concat([msg, sum]);
}

function replyDoc(reply: Buffer): Record<string, any> {
  return BSON.deserialize(reply.subarray(21));
}

describe('embedded server wire protocol', () => {
  let server: EmbeddedServer;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    server = await startEmbeddedServer({ dbpath: dir, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should answer OP_MSG with and without a CRC-32C checksum', async () => {
    const plain = await exchange(server.port, opMsg({ ping: 1, $db: 'admin' }));
    expect(replyDoc(plain.reply)).toEqual({ ok: 1 });
    const summed = await exchange(server.port, opMsg({ ping: 1, $db: 'admin' }, { checksum: true }));
    expect(replyDoc(summed.reply)).toEqual({ ok: 1 });
  });

  it('should close the connection on a bad checksum, garbage, or an oversized message, and keep serving', async () => {
    expect(await exchange(server.port, opMsg({ ping: 1, $db: 'admin' }, { checksum: true, badChecksum: true }))).toMatchObject({ closed: true, reply: Buffer.alloc(0) });
    const garbage = Buffer.alloc(40, 0xab);
    garbage.writeInt32LE(40, 0);
    garbage.writeInt32LE(2013, 12);
    expect((await exchange(server.port, garbage)).closed).toBe(true);
    const huge = Buffer.alloc(16);
    huge.writeInt32LE(1 << 30, 0);
    expect((await exchange(server.port, huge)).closed).toBe(true);
    const badBson = opMsg({ ping: 1, $db: 'admin' });
    badBson.writeInt32LE(9999, 21); // document length lies
    expect((await exchange(server.port, badBson)).closed).toBe(true);
    const ok = await exchange(server.port, opMsg({ ping: 1, $db: 'admin' }));
    expect(replyDoc(ok.reply)).toEqual({ ok: 1 });
  });

  it('should fail unknown commands with 59 and unsupported features with 115, naming them', async () => {
    const client = new MongoClient(server.uri);
    try {
      const db = client.db('w');
      await expect(db.command({ frobnicate: 1 })).rejects.toMatchObject({ code: 59, message: expect.stringContaining('frobnicate') });
      await expect(db.command({ renameCollection: 'w.a', to: 'w.b' })).rejects.toMatchObject({ code: 115, message: expect.stringContaining('renameCollection') });
      await expect(db.collection('x').aggregate([{ $out: 'y' }]).toArray()).rejects.toMatchObject({ code: 115, message: expect.stringContaining('$out') });
      await expect(db.collection('x').createIndex({ body: 'text' })).rejects.toMatchObject({ code: 115 });
      await expect(db.collection('x').find({}, { tailable: true } as never).toArray()).rejects.toMatchObject({ code: 115, message: expect.stringContaining('tailable') });
      await expect(db.collection('x').find({ a: { $near: [0, 0] } }).toArray()).rejects.toThrow(/\$near/);
      // no client JavaScript runs in the server process
      await db.collection('x').insertOne({ a: 1 });
      await expect(db.collection('x').find({ $where: 'this.a == 1' }).toArray()).rejects.toThrow(/scriptEnabled|\$where/);
    } finally {
      await client.close();
    }
  });

  it('should present a single-node replica set in hello', async () => {
    const client = new MongoClient(server.uri);
    try {
      const hello = await client.db('admin').command({ hello: 1 });
      expect(hello).toMatchObject({ isWritablePrimary: true, setName: 'lianban', hosts: [`127.0.0.1:${server.port}`], primary: `127.0.0.1:${server.port}`, logicalSessionTimeoutMinutes: 30 });
      expect(hello.maxWireVersion).toBeGreaterThanOrEqual(17);
      expect(hello.topologyVersion).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it('should de-duplicate a retried write by lsid and txnNumber', async () => {
    const client = new MongoClient(server.uri);
    try {
      const db = client.db('w');
      const lsid = { id: new (await import('bson')).Binary(Buffer.alloc(16, 7), 4) };
      const cmd = { insert: 'retry', documents: [{ _id: 1 }], lsid, txnNumber: 1 };
      const first = await db.command(cmd);
      const again = await db.command(cmd); // same txnNumber: the first answer, not E11000
      expect(first).toMatchObject({ n: 1, ok: 1 });
      expect(again).toMatchObject({ n: 1, ok: 1 });
      expect(await db.collection('retry').countDocuments()).toBe(1);
      await expect(db.command({ ...cmd, txnNumber: 0 })).rejects.toMatchObject({ code: 225 });
    } finally {
      await client.close();
    }
  });
});
