import { describe, expect, it } from 'vitest';
import { complete, start } from '@lianban/runtime';
import { elementsWaiting, load, NOW, saved, waitAt } from './helpers';

describe('embedded sub-process', () => {
  it('should run the inner fork and join, then continue after the sub-process', async () => {
    // given
    const def = await load('subprocess.bpmn');
    let r = start(def, {}, { now: NOW });
    expect(elementsWaiting(r)).toEqual(['Task_a', 'Task_b']);
    expect(r.state.scopes).toHaveLength(2);

    // when
    r = complete(def, r.state, waitAt(r, 'Task_a').id, {}, { now: NOW });
    expect(elementsWaiting(r)).toEqual(['Task_b']);
    r = complete(def, saved(r.state), waitAt(r, 'Task_b').id, {}, { now: NOW });

    // then
    expect(elementsWaiting(r)).toEqual(['Task_after']);
    expect(r.state.scopes).toEqual([{ id: 's0' }]);
    expect(r.state.items['retirement-approval']).toBe('done');
  });

  it('should catch an inner error end event at the sub-process boundary, cancelling the rest inside', async () => {
    const def = await load('subprocess.bpmn');
    const r = start(def, {}, { now: NOW });
    const s = complete(def, r.state, waitAt(r, 'Task_a').id, { variables: { materials: '缺' } }, { now: NOW });
    expect(elementsWaiting(s)).toEqual(['Task_fix']);
    expect(s.effects).toContainEqual({ type: 'cancelled', waitId: waitAt(r, 'Task_b').id, elementId: 'Task_b' });
    expect(s.state.scopes).toEqual([{ id: 's0' }]);
  });

  it('should end only the sub-process on an inner terminate end event', async () => {
    const def = await load('subprocess.bpmn');
    const r = start(def, {}, { now: NOW });
    const s = complete(def, r.state, waitAt(r, 'Task_a').id, { variables: { skip: true } }, { now: NOW });
    expect(elementsWaiting(s)).toEqual(['Task_after']);
    expect(s.state.status).toBe('active');
  });
});
