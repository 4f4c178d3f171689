import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { Types } from 'mongoose';
import { publishMini, startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;

/** Every page of `path` (limit 50) following X-Next-Cursor; the ids in order and the pages' sizes. */
async function allPages(agent: Agent, path: string, insertAfterFirst?: () => Promise<void>) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 10; i++) {
    const res = await agent.get(path).query({ limit: 50, ...(cursor ? { cursor } : {}) }).expect(200);
    expect(Array.isArray(res.body)).toBe(true);
    ids.push(...res.body.map((x: { id: string }) => x.id));
    sizes.push(res.body.length);
    cursor = res.headers['x-next-cursor'];
    if (i === 0) await insertAfterFirst?.();
    if (!cursor) break;
  }
  return { ids, sizes };
}

describe('paged lists (GET /cases, GET /tasks: limit and cursor)', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  let cloneCase: (createdAt: Date) => Promise<string>;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    [applicant, hrss] = await Promise.all([s.login('luan.applicant'), s.login('luan.hrss')]);
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '张三', idNumber: '341502196501150039', housingFund: false } }).expect(201);
    const original = await s.models.Case.findById(sub.body.id).lean();
    let n = 0;
    cloneCase = async (createdAt) => {
      n++;
      const { _id, ...rest } = original as unknown as Record<string, unknown> & { tasks: Record<string, unknown>[] };
      const id = new Types.ObjectId();
      await s.models.Case.collection.insertOne({
        ...rest, _id: id, no: `LA20260101${String(n).padStart(4, '0')}`, createdAt,
        tasks: rest.tasks.map((t) => ({ ...t, id: `${String(t.id)}-${n}` })),
      });
      return String(id);
    };
    // 119 more: groups of ten created in the same millisecond, so the id decides the order within one
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 119; i++) await cloneCase(new Date(base + Math.floor(i / 10) * 1000));
  });
  afterAll(async () => { await s?.close(); });

  it('should page through 120 cases with limit 50, each exactly once, newest first, the last page without X-Next-Cursor', async () => {
    // a case created while paging (newest) is not on a later page, and nothing is repeated or skipped
    const { ids, sizes } = await allPages(applicant, '/api/v1/cases', async () => { await cloneCase(new Date()); });
    expect(sizes).toEqual([50, 50, 20]);
    expect(new Set(ids).size).toBe(120);
    const stored = await s.models.Case.find({}).sort({ createdAt: -1, _id: -1 }).lean();
    expect(ids).toEqual(stored.map((d) => String(d._id)).filter((id) => ids.includes(id)));
    // without limit: the first 50
    const first = await applicant.get('/api/v1/cases').expect(200);
    expect(first.body).toHaveLength(50);
    expect(first.headers['x-next-cursor']).toBeTruthy();
  });

  it('should page through the tasks of a department the same way', async () => {
    const { ids, sizes } = await allPages(hrss, '/api/v1/tasks?state=all');
    const total = await s.models.Case.countDocuments({ 'tasks.department': 'hrss' });
    expect(total).toBeGreaterThan(100);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(total);
    expect(sizes.slice(0, -1).every((n) => n === 50)).toBe(true);
  });

  it('should answer 400 to a malformed cursor or a limit out of range', async () => {
    for (const query of [{ cursor: 'not a cursor' }, { cursor: 'e30' }, { cursor: Buffer.from('[1,"x"]').toString('base64url') }, { limit: 0 }, { limit: 201 }, { limit: 'ten' }]) {
      const res = await applicant.get('/api/v1/cases').query(query).expect(400);
      expect(res.body.error.code).toMatch(/^bad-(cursor|limit)$/);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    await hrss.get('/api/v1/tasks').query({ cursor: Buffer.from('[1,"x"]').toString('base64url') }).expect(400);
    await hrss.get('/api/v1/tasks').query({ limit: 500 }).expect(400);
  });
});

describe('a department queue longer than 1000 cases (GET /tasks)', () => {
  let s: TestServer;
  let hrss: Agent;
  const N = 1200;
  const DONE = 1100;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    const applicant = await s.login('luan.applicant');
    hrss = await s.login('luan.hrss');
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data: { name: '张三', idNumber: '341502196501150039', housingFund: false } }).expect(201);
    const original = await s.models.Case.findById(sub.body.id).lean() as unknown as Record<string, unknown> & { tasks: Record<string, unknown>[] };
    expect(original.tasks.some((t) => t.department === 'hrss' && t.state === 'open')).toBe(true);
    // Oldest first in insertion order; every third without a due date, the rest due on one of
    // seven days (so many tasks share a due date and the creation time and id decide).
    const base = Date.parse('2026-11-01T00:00:00Z');
    const docs = Array.from({ length: N }, (_, i) => {
      const { _id, ...rest } = original;
      return {
        ...rest, _id: new Types.ObjectId(), no: `LA2026110${String(i).padStart(5, '0')}`, createdAt: new Date(base + i * 60_000),
        tasks: rest.tasks.map((t) => ({
          ...t, id: `${String(t.id)}-${i}`, createdAt: new Date(base + Math.floor(i / 3) * 60_000),
          dueAt: i % 3 === 0 ? null : new Date(base + 86_400_000 * (10 + (i % 7))),
        })),
      };
    });
    await s.models.Case.collection.insertMany(docs);
    // and, newer than all of them, more finished cases than the history window holds
    const finished = Array.from({ length: DONE }, (_, i) => {
      const { _id, ...rest } = original;
      return {
        ...rest, _id: new Types.ObjectId(), no: `LA2026120${String(i).padStart(5, '0')}`, status: 'completed', createdAt: new Date(base + (N + i) * 60_000),
        tasks: rest.tasks.map((t) => ({
          ...t, id: `${String(t.id)}-done-${i}`, state: 'done', completedAt: new Date(), createdAt: new Date(base + (N + i) * 60_000),
          dueAt: new Date(base + 86_400_000 * (8 + (i % 5))),
        })),
      };
    });
    await s.models.Case.collection.insertMany(finished);
  });
  afterAll(async () => { await s?.close(); });

  type Listed = { id: string; state: string; dueAt?: string | Date | null; createdAt: string | Date };
  const allOf = async (state?: string) => {
    const listed: Listed[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 30; i++) {
      const res = await hrss.get('/api/v1/tasks').query({ limit: 200, ...(state ? { state } : {}), ...(cursor ? { cursor } : {}) }).expect(200);
      listed.push(...res.body);
      cursor = res.headers['x-next-cursor'];
      if (!cursor) break;
    }
    expect(cursor).toBeUndefined();
    return listed;
  };
  const key = (t: Listed) => [t.dueAt ? +new Date(t.dueAt) : Infinity, +new Date(t.createdAt), t.id] as const;
  const inOrder = (ts: Listed[]) => [...ts].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
  });
  const hrssTasks = async () => (await s.models.Case.find({ 'tasks.department': 'hrss' }).sort({ _id: -1 }).lean())
    .map((c) => c.tasks.filter((t) => t.department === 'hrss'));
  const isOpen = (t: { state: string }) => t.state === 'open' || t.state === 'claimed';

  it('should list every open task, the newest cases included, by due date (none last), creation and id', async () => {
    const listed = await allOf();
    const stored = (await hrssTasks()).flat().filter(isOpen);
    expect(stored.length).toBeGreaterThan(N);
    expect(listed.map((t) => t.id).sort()).toEqual(stored.map((t) => t.id).sort());
    expect(listed.some((t) => t.id.endsWith(`-${N - 1}`))).toBe(true);
    expect(listed.map((t) => t.id)).toEqual(inOrder(stored).map((t) => t.id));
    expect(listed.at(-1)!.dueAt).toBeNull();
  });

  it('should list every open task under 全部 too, with the finished ones of the 1000 cases last changed, in one order', async () => {
    // what the staff tasklist loads (state=all): the open work of older cases is not cut off by the history
    const listed = await allOf('all');
    const cases = await hrssTasks();
    const open = cases.flat().filter(isOpen);
    const finished = cases.filter((ts) => ts.some((t) => t.state === 'done' || t.state === 'cancelled')).slice(0, 1000)
      .flat().filter((t) => t.state === 'done' || t.state === 'cancelled');
    expect(finished.length).toBeGreaterThanOrEqual(1000);
    expect(listed.filter(isOpen).length).toBe(open.length);
    expect(listed.map((t) => t.id)).toEqual(inOrder([...open, ...finished]).map((t) => t.id));
    expect(listed.some((t) => t.id.endsWith(`-done-${DONE - 1}`))).toBe(true);
    expect(listed.some((t) => t.id.endsWith('-done-0'))).toBe(false);
  });

  it('should read the whole open queue once per pass, and each later page\'s tasks fresh', async () => {
    // the database's commands on cases while the tasklist reads every page (limit 200)
    const seen: Record<string, unknown>[][] = [];
    const watch = (e: { commandName: string; command: Record<string, unknown> }) => {
      if (e.commandName === 'aggregate' && e.command.aggregate === 'cases') seen.push(e.command.pipeline as Record<string, unknown>[]);
    };
    const client = s.db.connection!.getClient();
    client.on('commandStarted', watch);
    try {
      const first = await hrss.get('/api/v1/tasks').query({ limit: 200 }).expect(200);
      const pass: Listed[] = [...first.body];
      // meanwhile a task further down is finished and a new case arrives
      const whole = await allOf();
      const later = whole[700]!;
      await s.models.Case.collection.updateOne({ 'tasks.id': later.id }, { $set: { 'tasks.$[t].state': 'done' } }, { arrayFilters: [{ 't.id': later.id }] });
      const { _id, ...shape } = (await s.models.Case.collection.findOne({ 'tasks.id': whole[0]!.id }))!;
      await s.models.Case.collection.insertOne({ ...shape, no: 'LA20261208888', tasks: (shape.tasks as { id: string }[]).map((t) => ({ ...t, id: `${t.id}-arrived` })) });
      seen.length = 0;
      let cursor = first.headers['x-next-cursor'] as string | undefined;
      let pages = 1;
      while (cursor) {
        const res = await hrss.get('/api/v1/tasks').query({ limit: 200, cursor }).expect(200);
        pass.push(...res.body);
        cursor = res.headers['x-next-cursor'];
        pages++;
      }
      // the later pages read only their own cases: no read of the whole queue
      expect(pages).toBeGreaterThan(5);
      expect(seen).toHaveLength(pages - 1);
      for (const pipeline of seen) {
        const ids = ((pipeline[0]!.$match as Record<string, { $in?: unknown[] }>)._id?.$in ?? []);
        expect(ids.length).toBeGreaterThan(0);
        expect(ids.length).toBeLessThanOrEqual(200);
      }
      // the finished task is left out, the rest of the pass in order and each once
      expect(pass.some((t) => t.id === later.id)).toBe(false);
      expect(pass.map((t) => t.id)).toEqual(whole.filter((t) => t.id !== later.id && !t.id.endsWith('-arrived')).map((t) => t.id));
      // the new case's task shows at the next pass (a first page reads the queue again)
      expect((await allOf()).some((t) => t.id.endsWith('-arrived'))).toBe(true);
    } finally {
      client.off('commandStarted', watch);
    }
  });

  it('should find one task by its id in any state, however old, and only in the caller\'s departments', async () => {
    // the oldest finished case, last changed 200 days ago: outside the 已办 list, still found by id
    const old = await s.models.Case.collection.findOneAndUpdate({ 'tasks.id': { $regex: '-done-0$' } }, { $set: { updatedAt: new Date(Date.now() - 200 * 86_400_000) } });
    const oldTask = (old!.tasks as { id: string; department: string }[]).find((t) => t.department === 'hrss')!;
    expect((await allOf('done')).some((t) => t.id === oldTask.id)).toBe(false);
    const found = await hrss.get('/api/v1/tasks').query({ state: 'all', id: oldTask.id }).expect(200);
    expect(found.body.map((t: Listed) => [t.id, t.state])).toEqual([[oldTask.id, 'done']]);
    const open = (await allOf())[0]!;
    expect((await hrss.get('/api/v1/tasks').query({ state: 'all', id: open.id }).expect(200)).body.map((t: Listed) => t.id)).toEqual([open.id]);
    // a task of another department: not found (the same answer as no such task)
    const { _id, ...shape } = old!;
    await s.models.Case.collection.insertOne({ ...shape, no: 'LA20261209999', tasks: [{ ...(shape.tasks as object[])[0], id: 'task-of-finance', department: 'finance', state: 'open' }] });
    expect((await hrss.get('/api/v1/tasks').query({ state: 'all', id: 'task-of-finance' }).expect(200)).body).toEqual([]);
    expect((await hrss.get('/api/v1/tasks').query({ state: 'all', id: 'no-such-task' }).expect(200)).body).toEqual([]);
  });
});
