import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import type { Db } from 'mongodb';
import { openTestDb, unknownCommands, type TestDb } from './harness';

describe('indexes through mongoose and the driver', () => {
  let t: TestDb;
  let db: Db;
  let conn: mongoose.Connection;
  beforeAll(async () => {
    t = await openTestDb('idx');
    db = t.client.db(t.dbName);
    conn = await t.mongoose();
  });
  afterAll(async () => {
    expect(unknownCommands(t.sent)).toEqual([]);
    await t.close();
  });

  it('should enforce a unique index declared in a mongoose schema with E11000, keyPattern and keyValue', async () => {
    const User = conn.model('User', new mongoose.Schema({ username: { type: String, unique: true }, tenant: String }));
    await User.init();
    await User.create({ username: 'luan.admin', tenant: 'luan' });
    const err = await User.create({ username: 'luan.admin', tenant: 'cz' }).catch((e) => e);
    expect(err).toMatchObject({ code: 11000, keyPattern: { username: 1 }, keyValue: { username: 'luan.admin' } });
    expect(err.message).toMatch(/E11000 duplicate key error/);
    const names = (await User.listIndexes()).map((i: { name: string }) => i.name);
    expect(names).toEqual(['_id_', 'username_1']);
  });

  it('should enforce compound unique, sparse and partial indexes', async () => {
    const c = db.collection('uniq');
    await c.createIndex({ tenant: 1, no: 1 }, { unique: true });
    await c.createIndex({ email: 1 }, { unique: true, sparse: true });
    await c.createIndex({ idNumber: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([{ tenant: 'a', no: 1 }, { tenant: 'b', no: 1 }]); // no email: sparse allows many
    await expect(c.insertOne({ tenant: 'a', no: 1 })).rejects.toMatchObject({ code: 11000, keyValue: { tenant: 'a', no: 1 } });
    await c.insertOne({ tenant: 'c', no: 1, email: 'x@y' });
    await expect(c.insertOne({ tenant: 'c', no: 2, email: 'x@y' })).rejects.toMatchObject({ code: 11000 });
    await c.insertMany([{ tenant: 'd', no: 1, idNumber: '1', active: false }, { tenant: 'd', no: 2, idNumber: '1', active: true }]);
    await expect(c.insertOne({ tenant: 'd', no: 3, idNumber: '1', active: true })).rejects.toMatchObject({ code: 11000 });
    // an update that would duplicate is refused too, and leaves the document as it was
    await expect(c.updateOne({ tenant: 'b' }, { $set: { tenant: 'a' } })).rejects.toMatchObject({ code: 11000 });
    expect(await c.countDocuments({ tenant: 'b' })).toBe(1);
  });

  it('should refuse to build a unique index over existing duplicates, and drop indexes', async () => {
    const c = db.collection('dups');
    await c.insertMany([{ a: 1 }, { a: 1 }]);
    await expect(c.createIndex({ a: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    await c.createIndex({ a: 1 }, { name: 'plain_a' });
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_', 'plain_a']);
    await c.dropIndex('plain_a');
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('should answer multikey, range and $in queries on indexed fields exactly like a scan', async () => {
    const Case = conn.model('Case', new mongoose.Schema({
      no: Number,
      submittedAt: Date,
      tasks: [{ department: String, state: String }],
    }));
    await Case.collection.createIndex({ 'tasks.department': 1, 'tasks.state': 1 });
    await Case.collection.createIndex({ no: 1 });
    await Case.collection.createIndex({ submittedAt: 1 });
    const depts = ['hrss', 'medical', 'housing-fund', 'health'];
    const states = ['open', 'done'];
    await Case.insertMany(Array.from({ length: 200 }, (_, i) => ({
      no: i,
      submittedAt: new Date(Date.UTC(2026, 0, 1 + (i % 60))),
      tasks: Array.from({ length: i % 4 }, (_, j) => ({ department: depts[(i + j) % 4], state: states[(i * j) % 2] })),
    })));
    const filters: Record<string, unknown>[] = [
      { 'tasks.department': 'hrss', 'tasks.state': 'open' },
      { tasks: { $elemMatch: { department: 'hrss', state: 'open' } } },
      { no: { $gte: 10, $lt: 20 } },
      { no: { $in: [3, 5, 700] } },
      { submittedAt: { $gt: new Date(Date.UTC(2026, 0, 50)) } },
      { $or: [{ no: 1 }, { 'tasks.department': 'health' }] },
      { no: { $gt: 150 }, 'tasks.state': 'done' },
    ];
    for (const f of filters) {
      const viaIndex = (await Case.find(f).lean()).map((c) => c.no);
      // the same filter applied in JavaScript over all documents
      const all = await Case.find({}).lean();
      const expected = all.filter((c) => matches(c, f)).map((c) => c.no);
      expect(viaIndex.sort((a, b) => a! - b!)).toEqual(expected.sort((a, b) => a! - b!));
    }
  });
});

/** A tiny independent matcher for the filters above (not mingo), to cross-check index answers. */
function matches(c: any, f: Record<string, any>): boolean {
  return Object.entries(f).every(([k, v]) => {
    if (k === '$or') return v.some((sub: any) => matches(c, sub));
    if (k === 'tasks') return c.tasks.some((t: any) => t.department === v.$elemMatch.department && t.state === v.$elemMatch.state);
    if (k.startsWith('tasks.')) return c.tasks.some((t: any) => t[k.slice(6)] === v);
    const x = c[k];
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return (v.$gte === undefined || x >= v.$gte) && (v.$lt === undefined || x < v.$lt) && (v.$gt === undefined || x > v.$gt) && (v.$in === undefined || v.$in.includes(x));
    }
    return x === v;
  });
}
