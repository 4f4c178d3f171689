import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import type { Db } from 'mongodb';
import { openTestDb, unknownCommands, type TestDb } from './harness';

describe('sessions and transactions', () => {
  let t: TestDb;
  let db: Db;
  let conn: mongoose.Connection;
  beforeAll(async () => {
    t = await openTestDb('txn');
    db = t.client.db(t.dbName);
    conn = await t.mongoose();
    await db.createCollection('accounts');
    // indexed, so snapshot reads also go through the index path (and its fallback after newer commits)
    await db.collection('accounts').createIndex({ owner: 1 });
  });
  afterAll(async () => {
    expect(unknownCommands(t.sent)).toEqual([]);
    await t.close();
  });

  it('should commit all writes of session.withTransaction together', async () => {
    const Account = conn.model('Account', new mongoose.Schema({ owner: String, balance: Number }));
    const [a, b] = await Account.create([{ owner: 'a', balance: 100 }, { owner: 'b', balance: 0 }]);
    await conn.transaction(async (session) => {
      await Account.updateOne({ _id: a!._id }, { $inc: { balance: -30 } }, { session });
      await Account.updateOne({ _id: b!._id }, { $inc: { balance: 30 } }, { session });
      await Account.create([{ owner: 'c', balance: 1 }], { session });
    });
    expect((await Account.find().sort({ owner: 1 }).lean()).map((x) => x.balance)).toEqual([70, 30, 1]);
  });

  it('should discard the writes of an aborted transaction and isolate uncommitted writes', async () => {
    const c = db.collection('accounts');
    await c.insertOne({ owner: 'iso', balance: 5 });
    const session = t.client.startSession();
    session.startTransaction();
    await c.updateOne({ owner: 'iso' }, { $set: { balance: 6 } }, { session });
    await c.insertOne({ owner: 'ghost' }, { session });
    expect((await c.findOne({ owner: 'iso' }, { session }))!.balance).toBe(6); // own writes are visible
    expect((await c.findOne({ owner: 'iso' }))!.balance).toBe(5); // others do not see them
    expect(await c.countDocuments({ owner: 'ghost' })).toBe(0);
    await session.abortTransaction();
    await session.endSession();
    expect((await c.findOne({ owner: 'iso' }))!.balance).toBe(5);
    expect(await c.countDocuments({ owner: 'ghost' })).toBe(0);
  });

  it('should read from a snapshot: commits after the transaction started are not seen', async () => {
    const c = db.collection('accounts');
    await c.insertOne({ owner: 'snap', balance: 1 });
    const session = t.client.startSession();
    session.startTransaction();
    expect((await c.findOne({ owner: 'snap' }, { session }))!.balance).toBe(1);
    await c.updateOne({ owner: 'snap' }, { $set: { balance: 2 } }); // committed outside
    await c.insertOne({ owner: 'late' });
    expect((await c.findOne({ owner: 'snap' }, { session }))!.balance).toBe(1);
    expect(await c.countDocuments({ owner: 'late' }, { session })).toBe(0);
    await session.commitTransaction();
    await session.endSession();
  });

  it('should fail the second of two concurrent writers with WriteConflict (112, TransientTransactionError)', async () => {
    const c = db.collection('accounts');
    const { insertedId } = await c.insertOne({ owner: 'contended', n: 0 });
    const s1 = t.client.startSession();
    const s2 = t.client.startSession();
    s1.startTransaction();
    s2.startTransaction();
    await c.updateOne({ _id: insertedId }, { $inc: { n: 1 } }, { session: s1 });
    const err = await c.updateOne({ _id: insertedId }, { $inc: { n: 10 } }, { session: s2 }).catch((e) => e);
    expect(err.code).toBe(112);
    expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
    await s1.commitTransaction();
    await s2.abortTransaction().catch(() => {});
    await Promise.all([s1.endSession(), s2.endSession()]);
    expect((await c.findOne({ _id: insertedId }))!.n).toBe(1);
  });

  it('should retry a conflicting transaction through withTransaction until both increments land', async () => {
    const c = db.collection('accounts');
    const { insertedId } = await c.insertOne({ owner: 'counter', n: 0 });
    const bump = async () => {
      const session = t.client.startSession();
      try {
        await session.withTransaction(async () => {
          const doc = await c.findOne({ _id: insertedId }, { session });
          await new Promise((r) => setTimeout(r, 20)); // widen the window so the two overlap
          await c.updateOne({ _id: insertedId }, { $set: { n: doc!.n + 1 } }, { session });
        });
      } finally {
        await session.endSession();
      }
    };
    await Promise.all([bump(), bump(), bump()]);
    expect((await c.findOne({ _id: insertedId }))!.n).toBe(3);
  });

  it('should make a write outside a transaction wait for the transaction holding the document', async () => {
    const c = db.collection('accounts');
    const { insertedId } = await c.insertOne({ owner: 'held', n: 0 });
    const s = t.client.startSession();
    s.startTransaction();
    await c.updateOne({ _id: insertedId }, { $inc: { n: 1 } }, { session: s });
    const outside = c.updateOne({ _id: insertedId }, { $inc: { n: 100 } });
    await new Promise((r) => setTimeout(r, 50));
    await s.commitTransaction();
    await outside;
    await s.endSession();
    expect((await c.findOne({ _id: insertedId }))!.n).toBe(101);
  });
});
