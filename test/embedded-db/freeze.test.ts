/**
 * Cold documents are kept as their BSON bytes (embedded-db storage/collection.ts, #24): the
 * garbage collector's full marking walks every object of the heap, and the data as objects made
 * it take both cores of the bench machine. A frozen document must read back exactly as a restart
 * would have decoded it, be updated, deleted and indexed as before, keep an open snapshot's view,
 * go into the compaction's snapshot as it is, and be thawed only by a read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { BSON, Binary, Decimal128, Long, ObjectId, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { DataView, freezeCounts, nextFreezeEpoch, startEmbeddedServer, Store, Transactions } from '@lianban/embedded-db';

const NS = 'db.cases';
/** As a restart decodes a document: BSON.deserialize of BSON.serialize. */
const restarted = (d: Document) => BSON.deserialize(BSON.serialize(d));
/** Two passes of the freezer: the first marks the epoch, the second freezes what nobody touched meanwhile. */
function freezeAll(store: Store): void {
  nextFreezeEpoch();
  nextFreezeEpoch();
  store.freezeCold(10_000, 0, Number.MAX_SAFE_INTEGER);
}

const leaf = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string({ maxLength: 20 }), fc.boolean(), fc.constant(null), fc.date({ noInvalidDate: true }));
const value = fc.oneof(leaf, fc.array(leaf, { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }).filter((k) => !k.includes('\0') && !k.startsWith('$') && !k.includes('.')), leaf, { maxKeys: 4, noNullPrototype: true }));

describe('cold documents kept as bytes', () => {
  it('reads a frozen document back as a restart would have decoded it, and thaws it only then', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ pad: fc.string({ minLength: 600, maxLength: 620 }), v: value, w: fc.array(value, { maxLength: 3 }) }, { noNullPrototype: true }), { minLength: 1, maxLength: 5 }), (docs) => {
        const store = new Store();
        const stored = docs.map((d, i) => ({ _id: i, ...d }));
        store.apply(stored.map((d) => ({ o: 'put' as const, ns: NS, d, ins: true })));
        freezeAll(store);
        expect(store.frozen.docs).toBe(stored.length);
        const thawed = freezeCounts.thawed;
        const coll = store.get(NS)!;
        const keys = [...coll.records.keys()];
        for (const d of stored) expect(coll.get(keys[d._id]!)).toEqual(restarted(d));
        expect(freezeCounts.thawed - thawed).toBe(stored.length);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps every BSON type, small documents as objects, and answers through the indexes after updates and deletes', () => {
    const store = new Store();
    const txns = new Transactions(store);
    const pad = '示例'.repeat(150);
    const docs = [
      { _id: new ObjectId(), no: 'CZ1', at: new Date(5), dec: Decimal128.fromString('1.5'), big: Long.fromString('9007199254740993'), bin: new Binary(Buffer.from([1, 2, 3])), tasks: [{ id: 't1', state: 'open' }], pad },
      { _id: new ObjectId(), no: 'CZ2', at: new Date(6), tasks: [{ id: 't2', state: 'open' }], pad },
      { _id: new ObjectId(), no: 'small' },
    ];
    store.apply([{ o: 'index', ns: NS, spec: { key: { 'tasks.id': 1 }, name: 'tasks.id_1' } }, ...docs.map((d) => ({ o: 'put' as const, ns: NS, d, ins: true }))]);
    freezeAll(store);
    expect(store.frozen.docs).toBe(2); // the small one stays an object
    const coll = store.get(NS)!;
    expect([...coll.records.values()].map((r) => !!r.head.frozenBytes)).toEqual([true, true, false]);

    // an open snapshot keeps its view of a frozen document that is then updated
    const reader = txns.begin('s', 1);
    const before = new DataView(store, txns, reader);
    const next = { ...docs[0], tasks: [{ id: 't9', state: 'done' }] };
    store.apply([{ o: 'put', ns: NS, d: next }]);
    expect(before.find(NS, { 'tasks.id': 't1' })).toEqual([restarted(docs[0]!)]);
    txns.abort(reader);
    const now = new DataView(store, txns);
    expect(now.find(NS, { 'tasks.id': 't1' })).toEqual([]);
    expect(now.find(NS, { 'tasks.id': 't9' })).toEqual([next]);
    // a frozen document deleted: gone from its index too
    store.apply([{ o: 'del', ns: NS, id: docs[1]!._id }]);
    expect(now.find(NS, { 'tasks.id': 't2' })).toEqual([]);
    expect(now.find(NS, {}).map((d) => d.no)).toEqual(['CZ1', 'small']);
  });

  it('through the wire: frozen after the quiet period, answered the same, in the snapshot as they were, and recovered after a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-freeze-'));
    let server = await startEmbeddedServer({ dbpath: dir, port: 0, freezeAfterMs: 20 });
    let client = await new MongoClient(server.uri).connect();
    try {
      let cases = client.db('lbtest').collection('cases');
      await cases.createIndex({ 'tasks.state': 1 });
      await cases.insertMany(Array.from({ length: 40 }, (_, i) => ({ no: `CZ${i}`, rev: 0, at: new Date(1000 + i), data: { note: '示例'.repeat(200), i }, tasks: [{ id: `t${i}`, state: i % 2 ? 'open' : 'done' }] })));
      const expected = await cases.find({}).sort({ no: 1 }).toArray();
      const status = async () => (await client.db('admin').command({ serverStatus: 1 })).lianban.frozen as { docs: number; bytes: number; frozen: number; thawed: number };
      const deadline = Date.now() + 10_000;
      while ((await status()).docs < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      const frozen = await status();
      expect(frozen.docs).toBe(40);
      expect(frozen.bytes).toBeGreaterThan(40 * 1200);
      // an index answers without thawing anything but what it returns
      const open = await cases.find({ 'tasks.state': 'open' }).sort({ no: 1 }).toArray();
      expect(open).toEqual(expected.filter((d) => d.tasks[0].state === 'open'));
      expect((await status()).thawed - frozen.thawed).toBe(20);
      // an update of a frozen document, and the compaction writing the others' bytes as they are
      const cold = expected.find((d) => d.tasks[0].state === 'done')!;
      await cases.updateOne({ _id: cold._id }, { $inc: { rev: 1 }, $set: { 'tasks.0.state': 'open' } });
      await server.compact();
      await client.close();
      await server.close();
      server = await startEmbeddedServer({ dbpath: dir, port: 0, freezeAfterMs: 0 });
      client = await new MongoClient(server.uri).connect();
      cases = client.db('lbtest').collection('cases');
      expect(server.recovery.snapshotGeneration).toBeGreaterThan(0);
      const after = await cases.find({}).sort({ no: 1 }).toArray();
      expect(after).toEqual(expected.map((d) => (String(d._id) === String(cold._id) ? { ...d, rev: 1, tasks: [{ ...d.tasks[0], state: 'open' }] } : d)));
      expect(await cases.countDocuments({ 'tasks.state': 'open' })).toBe(21);
    } finally {
      await client.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
