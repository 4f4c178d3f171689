import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { openTestDb, unknownCommands, type TestDb } from './harness';

describe('aggregation and populate', () => {
  let t: TestDb;
  let conn: mongoose.Connection;
  beforeAll(async () => {
    t = await openTestDb('agg');
    conn = await t.mongoose();
  });
  afterAll(async () => {
    expect(unknownCommands(t.sent)).toEqual([]);
    await t.close();
  });

  it('should group, sort and count with a pipeline', async () => {
    const Item = conn.model('Item', new mongoose.Schema({ dept: String, days: Number }));
    await Item.insertMany([{ dept: 'hrss', days: 3 }, { dept: 'hrss', days: 5 }, { dept: 'medical', days: 2 }]);
    const out = await Item.aggregate([{ $match: { days: { $gte: 2 } } }, { $group: { _id: '$dept', n: { $sum: 1 }, avg: { $avg: '$days' } } }, { $sort: { _id: 1 } }]);
    expect(out).toEqual([{ _id: 'hrss', n: 2, avg: 4 }, { _id: 'medical', n: 1, avg: 2 }]);
    expect(await Item.countDocuments({ dept: 'hrss' })).toBe(2);
  });

  it('should join across collections with $lookup', async () => {
    const db = t.client.db(t.dbName);
    await db.collection('depts').insertMany([{ key: 'hrss', name: '人社' }, { key: 'medical', name: '医保' }]);
    await db.collection('tasks').insertMany([{ dept: 'hrss', t: 1 }, { dept: 'medical', t: 2 }, { dept: 'hrss', t: 3 }]);
    const out = await db.collection('tasks').aggregate([
      { $lookup: { from: 'depts', localField: 'dept', foreignField: 'key', as: 'd' } },
      { $project: { _id: 0, t: 1, name: { $first: '$d.name' } } },
      { $sort: { t: 1 } },
    ]).toArray();
    expect(out).toEqual([{ t: 1, name: '人社' }, { t: 2, name: '医保' }, { t: 3, name: '人社' }]);
  });

  it('should populate references the mongoose way', async () => {
    const Dept = conn.model('Office', new mongoose.Schema({ name: String }));
    const Task = conn.model('Job', new mongoose.Schema({ title: String, dept: { type: mongoose.Schema.Types.ObjectId, ref: 'Office' } }));
    const hrss = await Dept.create({ name: '人社' });
    await Task.create([{ title: '退休审批', dept: hrss._id }, { title: '待遇核定', dept: hrss._id }]);
    const tasks = await Task.find().populate<{ dept: { name: string } }>('dept').sort({ title: 1 }).lean();
    expect(tasks.map((x) => [x.title, x.dept.name])).toEqual([['待遇核定', '人社'], ['退休审批', '人社']]);
  });
});
