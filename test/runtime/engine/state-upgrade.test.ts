import { describe, expect, it } from 'vitest';
import {
  activeElements, complete, correlate, describeWaits, EngineError, FLOW_STATE_VERSION, start, upgradeState, type FlowState,
} from '@lianban/runtime';
import { elementsWaiting, load, NOW, saved } from './helpers';
import v1 from './state-v1.json';

/**
 * Cases stored by the version-1 engine (short keys `el`, `sc`, `st`, `tok`, `k`, `g`) keep
 * running: every operation upgrades the state it is given, and new state has readable names.
 */
const old = (name: 'subprocess' | 'multiInstance') => structuredClone(v1[name]) as unknown as FlowState;

describe('stored flow state versions', () => {
  it('should write new state with readable names and a version', async () => {
    const def = await load('subprocess.bpmn');
    const { state } = start(def, {}, { now: NOW });
    expect(state.version).toBe(FLOW_STATE_VERSION);
    expect(state).not.toHaveProperty('format');
    expect(Object.keys(state.tokens[0]!).sort()).toEqual(expect.arrayContaining(['element', 'id', 'scope']));
    expect(state.scopes[1]).toEqual({ id: expect.any(String), element: 'Sub', token: expect.any(String) });
    expect(Object.keys(state.waits[0]!)).toEqual(['id', 'token', 'element', 'kind']);
  });

  it('should upgrade a version-1 state to what the current engine writes for the same steps', async () => {
    // given: the same steps run by the current engine
    const def = await load('subprocess.bpmn');
    const r = start(def, {}, { now: NOW });
    const now = complete(def, r.state, r.waits.find((w) => w.elementId === 'Task_a')!.id, {}, { now: NOW });

    // when
    const stored = old('subprocess');
    const upgraded = upgradeState(stored);

    // then: same content, and the stored input untouched (upgrade is pure)
    expect(upgraded).toEqual(saved(now.state));
    expect(stored).toEqual(v1.subprocess);
    expect(upgradeState(upgraded)).toBe(upgraded);
  });

  it('should carry the evaluated candidate groups of a multi-instance task across the upgrade', async () => {
    const def = await load('multi-instance.bpmn');
    const stored = old('multiInstance');
    expect(describeWaits(def, stored).map((w) => w.candidateGroups)).toEqual([['medical'], ['health']]);
    expect(upgradeState(stored).waits.map((w) => w.groups)).toEqual([['medical'], ['health']]);
  });

  it('should continue a case stored in the old shape and save it in the new one', async () => {
    // given: a sub-process waiting at Task_b with a token resting at the inner join
    const def = await load('subprocess.bpmn');
    const stored = old('subprocess');
    expect(activeElements(stored).sort()).toEqual(['Join', 'Sub', 'Task_b']);

    // when
    const r = complete(def, stored, describeWaits(def, stored)[0]!.id, {}, { now: NOW });

    // then
    expect(elementsWaiting(r)).toEqual(['Task_after']);
    expect(r.state.version).toBe(FLOW_STATE_VERSION);
    expect(r.state.tokens.every((t) => typeof t.element === 'string' && typeof t.scope === 'string')).toBe(true);
    expect(r.state.scopes).toEqual([{ id: 's0' }]);
  });

  it('should finish a multi-instance case stored in the old shape', async () => {
    const def = await load('multi-instance.bpmn');
    let r = { state: old('multiInstance') };
    for (const wait of describeWaits(def, r.state)) r = complete(def, saved(r.state), wait.id, { outcome: 'approved' }, { now: NOW });
    expect(r.state.status).toBe('completed');
    expect(correlate(def, old('multiInstance'), 'nothing')).toEqual([]);
  });

  it('should refuse a state of an unknown version', () => {
    expect(() => upgradeState({ ...old('subprocess'), format: undefined, version: 99 } as unknown as FlowState)).toThrow(EngineError);
  });
});
