import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectId, type Collection, type Db } from 'mongodb';
import { openTestDb, unknownCommands, type TestDb } from './harness';

describe('CRUD through the raw driver', () => {
  let t: TestDb;
  let db: Db;
  let people: Collection;
  beforeAll(async () => {
    t = await openTestDb('crud');
    db = t.client.db(t.dbName);
    people = db.collection('people');
  });
  afterAll(async () => {
    expect(unknownCommands(t.sent)).toEqual([]);
    await t.close();
  });

  it('should insert, find by id and filter with sort, skip, limit and projection', async () => {
    const res = await people.insertMany(Array.from({ length: 30 }, (_, i) => ({ name: `p${i}`, age: 20 + (i % 10), tags: i % 2 ? ['odd'] : ['even'] })));
    expect(res.insertedCount).toBe(30);
    const one = await people.findOne({ _id: res.insertedIds[3] });
    expect(one).toMatchObject({ name: 'p3', age: 23 });
    const page = await people.find({ age: { $gte: 25 } }, { projection: { _id: 0, name: 1, age: 1 } }).sort({ age: -1, name: 1 }).skip(2).limit(4).toArray();
    expect(page).toEqual([{ name: 'p9', age: 29 }, { name: 'p28', age: 28 }, { name: 'p18', age: 28 }, { name: 'p8', age: 28 }].sort((a, b) => b.age - a.age || a.name.localeCompare(b.name)));
    expect(await people.countDocuments({ tags: 'odd' })).toBe(15);
    expect(await people.estimatedDocumentCount()).toBe(30);
    expect((await people.distinct('tags')).sort()).toEqual(['even', 'odd']);
  });

  it('should page through a large result with getMore and honour batchSize', async () => {
    const big = db.collection('big');
    await big.insertMany(Array.from({ length: 550 }, (_, i) => ({ i })));
    const cursor = big.find({}, { batchSize: 100 }).sort({ i: 1 });
    let n = 0;
    for await (const doc of cursor) expect(doc.i).toBe(n++);
    expect(n).toBe(550);
    const early = big.find({}, { batchSize: 10 });
    await early.next();
    await early.close(); // killCursors
  });

  it('should update with operators, multi, upsert with $setOnInsert and arrayFilters', async () => {
    const c = db.collection('upd');
    await c.insertMany([{ k: 1, n: 1, items: [{ s: 'a', q: 1 }, { s: 'b', q: 2 }] }, { k: 2, n: 1 }]);
    const many = await c.updateMany({ n: 1 }, { $inc: { n: 1 } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const none = await c.updateOne({ k: 2 }, { $set: { n: 2 } });
    expect(none).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    const up = await c.updateOne({ k: 3 }, { $set: { n: 5 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(up.upsertedId).toBeInstanceOf(ObjectId);
    expect(await c.findOne({ k: 3 }, { projection: { _id: 0 } })).toEqual({ k: 3, n: 5, created: true });
    await c.updateOne({ k: 3 }, { $set: { n: 6 }, $setOnInsert: { created: false } }, { upsert: true });
    expect(await c.findOne({ k: 3 }, { projection: { _id: 0 } })).toEqual({ k: 3, n: 6, created: true });
    // an upsert whose filter has an operator condition (a lease: free or expired) sets everything on insert
    const lease = await c.updateOne({ _id: 'lease' as never, until: { $lt: new Date(1000) } }, { $set: { owner: 'a', until: new Date(2000) } }, { upsert: true });
    expect(lease.upsertedCount).toBe(1);
    expect(await c.findOne({ _id: 'lease' as never })).toEqual({ _id: 'lease', owner: 'a', until: new Date(2000) });
    await c.updateOne({ k: 1 }, { $set: { 'items.$[it].q': 9 } }, { arrayFilters: [{ 'it.s': 'b' }] });
    expect((await c.findOne({ k: 1 }))!.items).toEqual([{ s: 'a', q: 1 }, { s: 'b', q: 9 }]);
    await c.updateOne({ k: 1, 'items.s': 'a' }, { $set: { 'items.$.q': 7 } });
    expect((await c.findOne({ k: 1 }))!.items[0]).toEqual({ s: 'a', q: 7 });
    await c.replaceOne({ k: 2 }, { k: 2, replaced: true });
    expect(await c.findOne({ k: 2 }, { projection: { _id: 0 } })).toEqual({ k: 2, replaced: true });
    await expect(c.updateOne({ k: 2 }, { $set: { _id: 5 } })).rejects.toMatchObject({ code: 66 });
    await expect(c.updateOne({ k: 2 }, { $frobnicate: { a: 1 } } as any)).rejects.toThrow(/frobnicate/);
  });

  it('should findOneAndUpdate / findOneAndDelete with sort, returning before or after', async () => {
    const c = db.collection('fam');
    await c.insertMany([{ q: 'x', p: 2 }, { q: 'x', p: 1 }]);
    const after = await c.findOneAndUpdate({ q: 'x' }, { $set: { taken: true } }, { sort: { p: 1 }, returnDocument: 'after' });
    expect(after).toMatchObject({ p: 1, taken: true });
    const before = await c.findOneAndUpdate({ q: 'x', taken: { $exists: false } }, { $set: { taken: true } }, { returnDocument: 'before' });
    expect(before).toMatchObject({ p: 2 });
    expect(before!.taken).toBeUndefined();
    const upserted = await c.findOneAndUpdate({ q: 'y' }, { $set: { p: 3 } }, { upsert: true, returnDocument: 'after', projection: { _id: 0 } });
    expect(upserted).toEqual({ q: 'y', p: 3 });
    const removed = await c.findOneAndDelete({ q: 'x' }, { sort: { p: -1 } });
    expect(removed).toMatchObject({ p: 2 });
    expect(await c.countDocuments()).toBe(2);
  });

  it('should delete one or many and report counts', async () => {
    const c = db.collection('del');
    await c.insertMany([{ a: 1 }, { a: 1 }, { a: 2 }]);
    expect((await c.deleteOne({ a: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({})).deletedCount).toBe(2);
  });

  it('should report per-document errors of an unordered bulk write and keep the rest', async () => {
    const c = db.collection('bulk');
    await c.insertOne({ _id: 1 as any });
    const err = await c.insertMany([{ _id: 2 }, { _id: 1 }, { _id: 3 }] as any[], { ordered: false }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.writeErrors?.length ?? 1).toBe(1);
    expect(await c.countDocuments()).toBe(3);
  });

  it('should create, list and drop collections and databases', async () => {
    await db.createCollection('made');
    await expect(db.createCollection('made')).rejects.toMatchObject({ code: 48 });
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain('made');
    expect(await db.collection('made').drop()).toBe(true);
    const other = t.client.db(`${t.dbName}_other`);
    await other.collection('x').insertOne({ a: 1 });
    const dbs = await t.client.db('admin').admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(`${t.dbName}_other`);
    await other.dropDatabase();
    expect(await other.collection('x').countDocuments()).toBe(0);
  });

  it('should answer ping and buildInfo', async () => {
    expect(await db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const info = await db.admin().buildInfo();
    expect(info.version).toMatch(/^\d+\.\d+/);
  });
});
