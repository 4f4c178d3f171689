import { describe, expect, it } from 'vitest';
import { complete, start } from '@lianban/runtime';
import { load, NOW, saved } from './helpers';

const DEPARTMENTS = ['medical', 'housing-fund', 'health'];

describe('parallel multi-instance user task', () => {
  it('should open one task per department, routed to that department', async () => {
    // given / when
    const def = await load('multi-instance.bpmn');
    const r = start(def, { departments: DEPARTMENTS }, { now: NOW });

    // then
    expect(r.waits.map((w) => w.candidateGroups)).toEqual([['medical'], ['housing-fund'], ['health']]);
    expect(r.waits.map((w) => w.instance)).toEqual([
      { loopCounter: 1, department: 'medical' }, { loopCounter: 2, department: 'housing-fund' }, { loopCounter: 3, department: 'health' },
    ]);
    expect(r.waits[0]!.dueAt).toBe('2026-11-22T01:00:00.000Z');
  });

  it('should complete after every department has approved, in any order', async () => {
    const def = await load('multi-instance.bpmn');
    let r = start(def, { departments: DEPARTMENTS }, { now: NOW });
    for (const i of [2, 0, 1]) {
      const wait = r.waits.find((w) => w.instance?.loopCounter === i + 1)!;
      r = complete(def, saved(r.state), wait.id, { outcome: 'approved' }, { now: NOW });
    }
    expect(r.state.status).toBe('completed');
    expect(r.state.vars.results).toEqual(['approved', 'approved', 'approved']);
  });

  it('should stop early on a rejection (completion condition) and withdraw the other tasks', async () => {
    const def = await load('multi-instance.bpmn');
    const r = start(def, { departments: DEPARTMENTS }, { now: NOW });
    const s = complete(def, r.state, r.waits[1]!.id, { outcome: 'rejected' }, { now: NOW });
    expect(s.state.status).toBe('rejected');
    expect(s.effects.filter((e) => e.type === 'cancelled').map((e) => e.type === 'cancelled' && e.waitId)).toEqual([r.waits[0]!.id, r.waits[2]!.id]);
  });

  it('should pass straight through an empty collection and refuse an outcome it does not allow', async () => {
    const def = await load('multi-instance.bpmn');
    expect(start(def, { departments: [] }, { now: NOW }).state.status).toBe('completed');
    const r = start(def, { departments: ['medical'] }, { now: NOW });
    expect(() => complete(def, r.state, r.waits[0]!.id, { outcome: 'maybe' })).toThrow(/approved、rejected/);
  });

  it('should raise an incident when the collection is not a list', async () => {
    const def = await load('multi-instance.bpmn');
    const r = start(def, { departments: 'medical' }, { now: NOW });
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'incident', elementId: 'Task_countersign', code: 'collection-not-list' }));
  });
});
