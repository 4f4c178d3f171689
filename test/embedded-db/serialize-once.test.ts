/**
 * Stored documents are serialised once (storage/bson-bytes.ts): the journal keeps the bytes of
 * each new version and replies copy them in. Replies must be byte for byte what `BSON.serialize`
 * gives, journal records must decode to the same ops, and a database whose documents were
 * updated through the wire (top-level `$set`/`$push`/`$inc` without mingo, journalled through
 * the cache) must recover exactly the same documents after a restart.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { BSON, Long, ObjectId, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { bytesCacheStats, clearBytesCache, decodeRecords, encodeRecord, serializeSpliced, serializeStored, startEmbeddedServer } from '@lianban/embedded-db';

const leaf = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string({ maxLength: 30 }), fc.boolean(), fc.constant(null), fc.date({ noInvalidDate: true }));
const value = fc.oneof(leaf, fc.array(leaf, { maxLength: 5 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }).filter((k) => !k.includes('\0') && !k.startsWith('$')), leaf, { maxKeys: 4, noNullPrototype: true }));
// large enough (≥ 512 bytes) to be cached
const storedDoc = fc.record({ _id: fc.integer(), pad: fc.string({ minLength: 600, maxLength: 700 }), v: value, w: fc.array(value, { maxLength: 3 }) }, { noNullPrototype: true });

describe('serialising stored documents once', () => {
  it('a reply with cached documents is the bytes BSON.serialize gives', () => {
    fc.assert(
      fc.property(fc.array(storedDoc, { minLength: 1, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), (docs, cached) => {
        clearBytesCache();
        docs.forEach((d, i) => cached[i] && serializeStored(d));
        const cursorReply: Document = { cursor: { firstBatch: docs, id: Long.fromNumber(0), ns: 'db.cases' }, ok: 1 };
        const famReply: Document = { lastErrorObject: { n: 1, updatedExisting: true }, value: docs[0], ok: 1 };
        for (const reply of [cursorReply, famReply]) expect(Buffer.compare(Buffer.from(serializeSpliced(reply)), Buffer.from(BSON.serialize(reply)))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('journal records decode to the ops they were made of, and keep the put documents\' bytes', () => {
    clearBytesCache();
    const d = { _id: new ObjectId(), name: 'x'.repeat(800), tasks: [{ id: 't1', state: 'open' }], at: new Date(1) };
    const ops = [{ o: 'put', ns: 'db.cases', d, ins: true }, { o: 'del', ns: 'db.cases', id: 5 }, { o: 'create', ns: 'db.x', opts: {} }];
    const { records, torn } = decodeRecords(Buffer.from(encodeRecord(ops)));
    expect(torn).toBe(false);
    expect(records).toHaveLength(1);
    expect(records[0]).toEqual(ops.map((op) => BSON.deserialize(BSON.serialize(op))));
    const before = bytesCacheStats().hits;
    expect(Buffer.compare(Buffer.from(serializeSpliced({ value: d, ok: 1 })), Buffer.from(BSON.serialize({ value: d, ok: 1 })))).toBe(0);
    expect(bytesCacheStats().hits).toBe(before + 1);
  });

  it('documents updated through the wire read back and recover after a restart exactly as written', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-serialize-once-'));
    let server = await startEmbeddedServer({ dbpath: dir, port: 0 });
    let client = await new MongoClient(server.uri).connect();
    try {
      let cases = client.db('lbtest').collection('cases');
      const ids: ObjectId[] = [];
      for (let i = 0; i < 5; i++) {
        const { insertedId } = await cases.insertOne({ no: `CZ${i}`, rev: 0, status: 'in-progress', data: { note: '示例'.repeat(200) }, tasks: [{ id: `t${i}`, state: 'open' }], timeline: [{ action: 'submit', at: new Date(1000 + i) }] });
        ids.push(insertedId as ObjectId);
      }
      const expected = new Map<string, Document>();
      for (let step = 1; step <= 3; step++) {
        for (const [i, _id] of ids.entries()) {
          // a case save: the revision guard, top-level $set, $push of the timeline, $inc of the revision
          const r = await cases.updateOne({ _id, rev: step - 1, status: { $ne: 'suspended' } }, {
            $inc: { rev: 1 },
            $push: { timeline: { $each: [{ action: `step ${step}`, at: new Date(step * 10_000 + i) }] } },
            $set: { tasks: [{ id: `t${i}`, state: step === 3 ? 'done' : 'open', n: step }], status: step === 3 ? 'completed' : 'in-progress', updatedAt: new Date(step) },
          } as Document);
          expect(r.modifiedCount).toBe(1);
        }
      }
      for (const _id of ids) {
        const doc = (await cases.findOne({ _id }))!;
        expect(doc.rev).toBe(3);
        expect(doc.timeline.map((t: Document) => t.action)).toEqual(['submit', 'step 1', 'step 2', 'step 3']);
        expect(doc.status).toBe('completed');
        // fields set in place keep their place, a new one comes last (as with mingo)
        expect(Object.keys(doc).filter((k) => k !== '_id')).toEqual(['no', 'rev', 'status', 'data', 'tasks', 'timeline', 'updatedAt']);
        expected.set(_id.toHexString(), doc);
      }
      // a findAndModify answered from the cache, and a find reading through another field
      const fam = await cases.findOneAndUpdate({ _id: ids[0] }, { $set: { seen: true } }, { returnDocument: 'after' });
      expect(fam!.seen).toBe(true);
      expected.set(ids[0]!.toHexString(), fam!);
      expect(await cases.findOne({ 'tasks.id': 't1' })).toEqual(expected.get(ids[1]!.toHexString()));

      await client.close();
      await server.close();
      clearBytesCache(); // nothing of the old process's memory helps the new one
      server = await startEmbeddedServer({ dbpath: dir, port: 0 });
      client = await new MongoClient(server.uri).connect();
      cases = client.db('lbtest').collection('cases');
      expect(server.recovery.journalRecords).toBeGreaterThan(20);
      for (const _id of ids) expect(await cases.findOne({ _id })).toEqual(expected.get(_id.toHexString()));
    } finally {
      await client.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
