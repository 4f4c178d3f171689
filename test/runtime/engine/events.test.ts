import { describe, expect, it } from 'vitest';
import { complete, correlate, fireTimer, start } from '@lianban/runtime';
import { elementsWaiting, load, NOW, waitAt } from './helpers';

describe('events', () => {
  it('should wait on an intermediate timer, then on a message, then throw and end with messages', async () => {
    // given
    const def = await load('events.bpmn');
    let r = start(def, { applicant: '李四' }, { now: NOW });
    expect(waitAt(r, 'Timer_wait')).toMatchObject({ kind: 'timer', dueAt: '2026-11-20T02:00:00.000Z' });

    // when
    r = fireTimer(def, r.state, waitAt(r, 'Timer_wait').id, { now: '2026-11-20T10:00:00+08:00' });
    expect(waitAt(r, 'Catch_docs')).toMatchObject({ kind: 'messageCatch', messageName: 'documents-received' });
    const [match] = correlate(def, r.state, 'documents-received', {});
    r = complete(def, r.state, match!.id, { variables: { docs: 3 } }, { now: NOW });

    // then
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'message', messageName: 'notify-applicant', elementId: 'Throw_notify' }));
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'message', messageName: 'case-done', elementId: 'End_message' }));
    expect(r.state.status).toBe('completed');
    expect(r.state.history.map((h) => h.ev)).toEqual(['started', 'timer', 'message', 'ended']);
  });

  it('should start through the message start event', async () => {
    const def = await load('events.bpmn');
    const r = start(def, {}, { now: NOW, messageName: 'apply-online' });
    expect(elementsWaiting(r)).toEqual(['Catch_docs']);
    expect(() => start(def, {}, { messageName: 'nope' })).toThrow(/nope/);
  });

  it('should end the case on a terminate end event', async () => {
    const def = await load('events.bpmn');
    const r = start(def, { stop: true }, { now: NOW, messageName: 'apply-online' });
    const s = complete(def, r.state, r.waits[0]!.id, {}, { now: NOW });
    expect(s.state.status).toBe('completed');
    expect(s.state.tokens).toEqual([]);
  });

  it('should park the token in an incident naming the flow when a condition is not boolean', async () => {
    const def = await load('events.bpmn');
    const r = start(def, { stopReason: '申请人撤回' }, { now: NOW, messageName: 'apply-online' });
    const s = complete(def, r.state, r.waits[0]!.id, {}, { now: NOW });
    expect(s.state.status).toBe('active');
    expect(s.state.incidents).toEqual([expect.objectContaining({ el: 'Gw', flow: 'f_bad', code: 'condition-not-boolean' })]);
    expect(s.state.incidents[0]!.message).toContain('f_bad');
  });
});
