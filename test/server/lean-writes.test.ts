/**
 * Issue #24: the hot writes without mongoose documents (server/src/services/lean-writes.ts) store
 * exactly what mongoose stored — compared field for field with the mongoose way on the same input
 * — go the mongoose way for anything that needs casting or is invalid, keep the suspension guard,
 * and the hot path (a submission, a completion) takes the shortcut every time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import mongoose from 'mongoose';
import { loadCity } from '@lianban/templates';
import { insertCaseLean, leanDocument, leanWriteCounts, pendingSettled, seedDemoTemplates, updateCaseLean } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Agent = ReturnType<typeof request.agent>;
type Raw = Record<string, unknown>;

/** The stored document without what differs by construction (its id, number, write time). */
const comparable = ({ _id: _i, no: _n, updatedAt, ...rest }: Raw) => ({ ...rest, updatedAt: updatedAt instanceof Date });

describe('lean writes (#24)', () => {
  let s: TestServer;
  let applicant: Agent;
  let hrss: Agent;
  const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Raw;
  const data = { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
  let stored: Raw;

  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
    [applicant, hrss] = await Promise.all([s.login('changzhou.applicant'), s.login('changzhou.hrss')]);
  });
  afterAll(async () => { await s?.close(); });

  it('should take the shortcut for a submission and a completion, and store them complete', async () => {
    const before = { ...leanWriteCounts };
    const created = (await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201)).body as { id: string; no: string };
    const list = (await hrss.get('/api/v1/tasks').expect(200)).body as { id: string; caseNo: string; name: string }[];
    const task = list.find((t) => t.caseNo === created.no && t.name === '企业职工退休审批')!;
    await hrss.post(`/api/v1/tasks/${task.id}/complete`).send({ outcome: 'approved' }).expect(200);
    await pendingSettled(s.models);
    expect(leanWriteCounts.mongoose - before.mongoose, 'writes that fell back to mongoose').toBe(0);
    // the case, its update and its side documents (notification, audit, outbox, …) took the shortcut
    expect(leanWriteCounts.lean - before.lean).toBeGreaterThanOrEqual(5);
    stored = (await s.models.Case.findById(created.id).lean()) as unknown as Raw;
    expect(stored.rev).toBe(2);
    expect((stored.tasks as { id: string; state: string }[]).find((t) => t.id === task.id)!.state).toBe('done');
    expect(stored.updatedAt).toBeInstanceOf(Date);
    expect(await s.models.Audit.countDocuments({ target: `case:${created.no}` })).toBe(2);
    expect(await s.models.Notification.countDocuments({ caseNo: created.no })).toBeGreaterThanOrEqual(1);
  });

  it('should store a new case exactly as mongoose does: defaults, dropped unknown fields, no undefined', async () => {
    const { _id: _i, updatedAt: _u, ...base } = stored;
    const tasks = (base.tasks as Raw[]).map((t, i) => (i === 0 ? { ...t, claimedBy: undefined, outcomes: undefined, notInSchema: 1 } : t));
    const raw: Raw = { ...base, tasks, no: undefined, data: { ...(base.data as Raw), nested: { empty: {} } }, taskForms: undefined, correction: undefined, clock: undefined, rev: 1, stray: 'x', flow: { ...(base.flow as Raw), extra: true } };
    const a = new mongoose.Types.ObjectId();
    const b = new mongoose.Types.ObjectId();
    const before = { ...leanWriteCounts };
    await insertCaseLean(s.models, { ...raw, _id: a, tenant: 'lean-a' });
    expect(leanWriteCounts.lean - before.lean).toBe(1);
    await s.models.Case.create({ ...raw, _id: b, tenant: 'lean-a' } as never);
    const [x, y] = await Promise.all([a, b].map((id) => s.models.Case.collection.findOne({ _id: id })));
    expect(comparable(x!)).toEqual(comparable(y!));
    expect(x!.no).toBeNull();
    expect(x!.stray).toBeUndefined();
    expect((x!.tasks as Raw[])[0]!.outcomes).toEqual([]);
    expect('claimedBy' in (x!.tasks as Raw[])[0]!).toBe(false);
  });

  it('should leave what needs casting or is invalid to mongoose, which casts or refuses it as before', async () => {
    const { _id: _i, updatedAt: _u, ...base } = stored;
    const before = { ...leanWriteCounts };
    // a number where the schema says text: mongoose casts it
    const id = new mongoose.Types.ObjectId();
    await insertCaseLean(s.models, { ...base, _id: id, no: null, tenant: 'lean-b', applicantName: 12345 });
    expect((await s.models.Case.collection.findOne({ _id: id }))!.applicantName).toBe('12345');
    // a task state outside the enum, a missing required field: refused by mongoose's validation
    const badTasks = (base.tasks as Raw[]).map((t) => ({ ...t, state: 'bogus' }));
    await expect(insertCaseLean(s.models, { ...base, _id: new mongoose.Types.ObjectId(), no: null, tenant: 'lean-b', tasks: badTasks })).rejects.toThrow(/bogus/);
    await expect(insertCaseLean(s.models, { ...base, _id: new mongoose.Types.ObjectId(), no: null, tenant: undefined })).rejects.toThrow(/tenant/);
    expect(leanWriteCounts.mongoose - before.mongoose).toBe(3);
    expect(await s.models.Case.countDocuments({ tenant: 'lean-b' })).toBe(1);
  });

  it('should build side documents as mongoose does (defaults, _id, minimize) without changing the caller’s values', () => {
    const details = { changes: [{ path: 'data.x', before: null, after: { keep: 1, gone: {} } }], empty: {} };
    const frozen = JSON.stringify(details);
    const audit = { tenant: 'changzhou', at: new Date(), actor: 'someone', action: 'case.submit', target: 'case:1', ip: undefined, details };
    const notification = { tenant: 'changzhou', user: 'u1', caseId: 'c1', caseNo: 'CZ1', kind: 'accepted', message: '已受理', at: new Date(), readAt: null, stray: 1 };
    const outbox = { tenant: 'changzhou', department: 'hrss', caseId: 'c1', caseNo: 'CZ1', kind: 'push', elementId: 'e', payload: { a: 1, b: {} }, createdAt: new Date() };
    const timer = { tenant: 'changzhou', caseId: 'c1', waitId: 'w1', dueAt: new Date() };
    for (const [model, raw] of [[s.models.Audit, audit], [s.models.Notification, notification], [s.models.Outbox, outbox], [s.models.Timer, timer]] as const) {
      const lean = leanDocument<Raw>(model, raw as Raw)!;
      expect(lean, model.modelName).not.toBeNull();
      expect(lean._id).toBeInstanceOf(mongoose.Types.ObjectId);
      const viaMongoose = new (model as unknown as new (r: Raw) => { toObject(o: object): Raw })(raw as Raw).toObject({ depopulate: true, versionKey: false });
      expect({ ...lean, _id: null }, model.modelName).toEqual({ ...viaMongoose, _id: null });
    }
    expect(JSON.stringify(details)).toBe(frozen);
    // required fields missing: mongoose decides (and refuses)
    expect(leanDocument(s.models.Audit, { ...audit, actor: undefined })).toBeNull();
  });

  it('should leave a path with its own validator, setter or limits to mongoose, whatever the value', () => {
    const schema = new mongoose.Schema({
      plain: String,
      short: { type: String, maxlength: 3 },
      trimmed: { type: String, trim: true },
      checked: { type: Number, validate: (v: number) => v > 0 },
    });
    const model = { schema } as const;
    expect(leanDocument(model, { plain: 'abc' })).toMatchObject({ plain: 'abc' });
    // each value is of the right type, yet only mongoose knows its rule
    expect(leanDocument(model, { plain: 'abc', short: 'ab' })).toBeNull();
    expect(leanDocument(model, { trimmed: ' a ' })).toBeNull();
    expect(leanDocument(model, { checked: 5 })).toBeNull();
  });

  it('should update a case as mongoose does, and keep the suspension guard', async () => {
    const { _id: _i, updatedAt: _u, ...base } = stored;
    const [a, b] = [new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()];
    for (const id of [a, b]) await s.models.Case.collection.insertOne({ ...base, _id: id, no: null, tenant: 'lean-c', rev: 5 });
    const now = new Date();
    const tasks = (base.tasks as Raw[]).map((t) => ({ ...t, state: 'done', completedAt: now, claimedBy: undefined, stray: 1 }));
    const update = () => ({
      $set: { tasks, status: 'completed', endedAt: now, 'taskForms.extra': { x: 1 }, pending: { id: 'p', at: now }, unknownPath: undefined },
      $push: { timeline: { $each: [{ at: now, actor: 'someone', action: 'task.completed', detail: undefined }] } },
      $inc: { rev: 1 },
    });
    const before = { ...leanWriteCounts };
    expect(await updateCaseLean(s.models, { _id: a, rev: 5 }, update())).toBe(1);
    expect(leanWriteCounts.lean - before.lean).toBe(1);
    await s.models.Case.updateOne({ _id: b, rev: 5 }, update() as never);
    const [x, y] = await Promise.all([a, b].map((id) => s.models.Case.collection.findOne({ _id: id })));
    expect(comparable(x!)).toEqual(comparable(y!));
    expect(x!.rev).toBe(6);
    // at an old revision: nothing matched, nothing written
    expect(await updateCaseLean(s.models, { _id: a, rev: 5 }, update())).toBe(0);
    // a suspended case: its tasks do not move, and the caller is told why
    await s.models.Case.collection.updateOne({ _id: a }, { $set: { status: 'suspended' } });
    await expect(updateCaseLean(s.models, { _id: a, rev: 6 }, update())).rejects.toMatchObject({ code: 'case-suspended' });
    expect((await s.models.Case.collection.findOne({ _id: a }))!.rev).toBe(6);
  });
});
