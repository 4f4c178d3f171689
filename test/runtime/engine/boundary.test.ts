import { describe, expect, it } from 'vitest';
import { complete, EngineError, failServiceTask, fireTimer, start } from '@lianban/runtime';
import { elementsWaiting, load, NOW, saved, waitAt } from './helpers';

const LATER = '2026-12-31T09:00:00+08:00';

describe('boundary events', () => {
  it('should open both boundary timers with their due dates (working days for the reminder)', async () => {
    // given / when: started Friday 2026-11-20 09:00 China time
    const def = await load('boundary.bpmn');
    const r = start(def, {}, { now: NOW });

    // then: P10D calendar days; P2D working days skips the weekend → Tuesday 11-24
    expect(waitAt(r, 'Timer_escalate')).toMatchObject({ kind: 'timer', dueAt: '2026-11-30T01:00:00.000Z', attachedTo: 'Task_review', interrupting: true });
    expect(waitAt(r, 'Timer_remind')).toMatchObject({ kind: 'timer', dueAt: '2026-11-24T01:00:00.000Z', attachedTo: 'Task_review', interrupting: false });
  });

  it('should cancel the task when an interrupting timer fires', async () => {
    // given
    const def = await load('boundary.bpmn');
    const r = start(def, {}, { now: NOW });
    const task = waitAt(r, 'Task_review');

    // when
    const s = fireTimer(def, saved(r.state), waitAt(r, 'Timer_escalate').id, { now: LATER });

    // then: review withdrawn (with its other timer), escalation open
    expect(elementsWaiting(s)).toEqual(['Task_escalated']);
    expect(s.effects).toContainEqual({ type: 'cancelled', waitId: task.id, elementId: 'Task_review' });
    expect(() => complete(def, s.state, task.id, {}, { now: LATER })).toThrow(EngineError);
    const end = complete(def, s.state, waitAt(s, 'Task_escalated').id, {}, { now: LATER });
    expect(end.state.status).toBe('completed');
  });

  it('should keep the task when a non-interrupting timer fires', async () => {
    // given
    const def = await load('boundary.bpmn');
    const r = start(def, {}, { now: NOW });

    // when: the reminder fires (and its branch runs to its own end)
    const s = fireTimer(def, r.state, waitAt(r, 'Timer_remind').id, { now: '2026-11-24T09:00:00+08:00' });

    // then
    expect(elementsWaiting(s)).toEqual(['Task_review', 'Timer_escalate']);
    expect(s.state.history.map((h) => h.el)).toContain('End_remind');
    expect(s.state.status).toBe('active');
  });

  it('should refuse to fire a timer before it is due', async () => {
    const def = await load('boundary.bpmn');
    const r = start(def, {}, { now: NOW });
    expect(() => fireTimer(def, r.state, waitAt(r, 'Timer_remind').id, { now: NOW })).toThrow(/尚未到期/);
  });

  it('should close the boundary timers when the task completes', async () => {
    const def = await load('boundary.bpmn');
    const r = start(def, {}, { now: NOW });
    const s = complete(def, r.state, waitAt(r, 'Task_review').id, {}, { now: NOW });
    expect(elementsWaiting(s)).toEqual(['Push']);
    expect(s.effects.filter((e) => e.type === 'cancelled')).toHaveLength(2);
  });

  it('should route a failed push to the error boundary', async () => {
    // given
    const def = await load('boundary.bpmn');
    let r = start(def, {}, { now: NOW });
    r = complete(def, r.state, waitAt(r, 'Task_review').id, {}, { now: NOW });
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'push', connector: 'outbox', department: 'housing-fund', linkedItem: 'housing-fund-withdrawal' }));

    // when
    const s = failServiceTask(def, r.state, waitAt(r, 'Push').id, { errorCode: 'PUSH_FAILED' }, { now: NOW });

    // then
    expect(elementsWaiting(s)).toEqual(['Task_manual']);
    expect(s.state.history.map((h) => h.ev)).toContain('error');
    expect(s.state.incidents).toEqual([]);
  });

  it('should raise a clear incident when no error boundary catches the failure, and allow a retry', async () => {
    // given
    const def = await load('boundary.bpmn');
    let r = start(def, {}, { now: NOW });
    r = complete(def, r.state, waitAt(r, 'Task_review').id, {}, { now: NOW });
    const push = waitAt(r, 'Push');

    // when
    const s = failServiceTask(def, r.state, push.id, { errorCode: 'TIMEOUT', message: '对方系统无响应' }, { now: NOW });

    // then: an incident naming the task; the wait stays open
    expect(s.effects).toContainEqual(expect.objectContaining({ type: 'incident', elementId: 'Push', code: 'service-failed' }));
    expect(s.state.incidents[0]!.message).toContain('Push');
    expect(waitAt(s, 'Push').id).toBe(push.id);
    const retried = complete(def, s.state, push.id, {}, { now: NOW });
    expect(retried.state.status).toBe('completed');
    expect(retried.state.items['housing-fund-withdrawal']).toBe('done');
  });
});
