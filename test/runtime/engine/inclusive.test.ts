import { describe, expect, it } from 'vitest';
import { complete, start, type StepResult } from '@lianban/runtime';
import { elementsWaiting, load, NOW, saved, waitAt } from './helpers';

const BRANCHES = ['Task_health', 'Task_housing', 'Task_medical'];

async function approved(vars: Record<string, unknown>) {
  const def = await load('inclusive.bpmn');
  const r = start(def, vars, { now: NOW });
  return { def, r: complete(def, r.state, waitAt(r, 'Task_hrss').id, { outcome: 'approved' }, { now: NOW }) };
}

const archiveWaits = (r: StepResult) => r.waits.filter((w) => w.elementId === 'Task_archive').length;

describe('inclusive gateway', () => {
  it('should take the default flow and fire the join once when no branch is ticked', async () => {
    // given / when
    const { r } = await approved({ medical: false, housingFund: '否', onlyChild: '否' });

    // then
    expect(elementsWaiting(r)).toEqual(['Task_archive']);
  });

  it('should take one branch and join after it', async () => {
    const { def, r } = await approved({ medical: true });
    expect(elementsWaiting(r)).toEqual(['Task_medical']);

    const done = complete(def, r.state, waitAt(r, 'Task_medical').id, {}, { now: NOW });
    expect(elementsWaiting(done)).toEqual(['Task_archive']);
  });

  it('should take all branches and fire the join exactly once, after the last', async () => {
    // given
    const { def, r } = await approved({ medical: true, housingFund: '是', onlyChild: '是' });
    expect(elementsWaiting(r)).toEqual(BRANCHES);

    // when: the branches complete one by one
    let step = r;
    const seen: number[] = [];
    for (const el of ['Task_housing', 'Task_medical', 'Task_health']) {
      step = complete(def, step.state, waitAt(step, el).id, {}, { now: NOW });
      seen.push(archiveWaits(step));
    }

    // then: the join waited for every branch, fired once
    expect(seen).toEqual([0, 0, 1]);
    expect(step.state.tokens).toHaveLength(1);
    const end = complete(def, step.state, waitAt(step, 'Task_archive').id, {}, { now: NOW });
    expect(end.state.status).toBe('completed');
    expect(end.state.history.filter((h) => h.el === 'End')).toHaveLength(1);
    expect(end.effects).toContainEqual({ type: 'caseEnded', status: 'completed' });
  });

  it('should keep waiting at the join across a save and restore of the state', async () => {
    // given: two of three branches taken, one done, state saved as JSON
    const { def, r } = await approved({ medical: true, housingFund: '是' });
    const afterFirst = complete(def, r.state, waitAt(r, 'Task_medical').id, {}, { now: NOW });
    const stored = JSON.stringify(afterFirst.state);
    expect(afterFirst.state.tokens.some((t) => t.resting === 'join')).toBe(true);
    expect(archiveWaits(afterFirst)).toBe(0);

    // when: a fresh load of the state and of the definition completes the other branch
    const restoredDef = saved(def);
    const restored = JSON.parse(stored);
    const housingWait = afterFirst.waits.find((w) => w.elementId === 'Task_housing')!;
    const last = complete(restoredDef, restored, housingWait.id, {}, { now: NOW });

    // then
    expect(elementsWaiting(last)).toEqual(['Task_archive']);
    expect(saved(last.state)).toEqual(last.state);
  });

  it('should not mutate the state it was given', async () => {
    const { def, r } = await approved({ medical: true });
    const before = JSON.stringify(r.state);
    complete(def, r.state, waitAt(r, 'Task_medical').id, {}, { now: NOW });
    expect(JSON.stringify(r.state)).toBe(before);
  });
});
