import { describe, expect, it } from 'vitest';
import { complete, correlate, start, type Definition, type StepResult } from '@lianban/runtime';
import { elementsWaiting, load, NOW, saved, waitAt } from './helpers';

const ALL = ['retirement-approval', 'pension-determination', 'retirement-certificate', 'socialized-management', 'housing-fund-withdrawal', 'medical-insurance-transfer', 'only-child-certificate'];

/** Submits a case and gets it through 人社's two steps and the push. */
function throughHrss(def: Definition, vars: Record<string, unknown>): StepResult {
  let r = start(def, vars, { now: NOW, items: vars.requestedItems as string[] });
  r = complete(def, r.state, waitAt(r, 'Task_approval').id, { outcome: 'approved' }, { now: NOW, actor: 'changzhou.hrss' });
  r = complete(def, r.state, waitAt(r, 'Task_pension').id, {}, { now: NOW });
  return complete(def, r.state, waitAt(r, 'Push').id, { variables: { pushedAt: NOW } }, { now: NOW });
}

describe('常州 retirement flow', () => {
  it('should route the approval to 人社 with a due date in working days', async () => {
    // given / when: submitted on Friday 2026-11-20
    const def = await load('changzhou.bpmn');
    const r = start(def, { name: '张三', requestedItems: ALL }, { now: NOW, items: ALL });

    // then: five working days later is Friday 2026-11-27, same time of day
    expect(waitAt(r, 'Task_approval')).toMatchObject({
      kind: 'userTask', candidateGroups: ['hrss'], formKey: 'approval', outcomes: ['approved', 'rejected'],
      linkedItem: 'retirement-approval', dueAt: '2026-11-27T01:00:00.000Z',
    });
    expect(r.state.items['retirement-approval']).toBe('in-progress');
    expect(r.state.items['housing-fund-withdrawal']).toBe('requested');
  });

  it('should push the linked-item requests to the data-sharing platform and wait for the result', async () => {
    const def = await load('changzhou.bpmn');
    let r = start(def, { name: '张三', requestedItems: ['housing-fund-withdrawal'] }, { now: NOW });
    r = complete(def, r.state, waitAt(r, 'Task_approval').id, { outcome: 'approved' }, { now: NOW });
    r = complete(def, r.state, waitAt(r, 'Task_pension').id, {}, { now: NOW });

    const push = waitAt(r, 'Push');
    expect(push).toMatchObject({ kind: 'serviceTask', connector: 'data-sharing', department: 'hrss' });
    expect(r.effects).toContainEqual({
      type: 'push', waitId: push.id, elementId: 'Push', connector: 'data-sharing', department: 'hrss',
      payload: { name: '张三', items: ['housing-fund-withdrawal'] },
    });
  });

  it('should complete the case when a department finds the applicant not eligible (standalone item)', async () => {
    // given
    const def = await load('changzhou.bpmn');
    const r = throughHrss(def, { name: '张三', requestedItems: ALL, onlyChildCertificate: '是' });
    expect(elementsWaiting(r)).toEqual(['Receive_medical', 'Task_certificate', 'Task_health', 'Task_housing', 'Task_social']);

    // when: 公积金 answers not-eligible in our tasklist; the others finish
    let s = complete(def, r.state, waitAt(r, 'Task_housing').id, { outcome: 'not-eligible' }, { now: NOW });
    expect(s.effects).toContainEqual({ type: 'itemStatus', linkedItem: 'housing-fund-withdrawal', status: 'standalone', elementId: 'Task_housing' });
    for (const el of ['Task_health', 'Task_social', 'Task_certificate']) s = complete(def, s.state, waitAt(s, el).id, {}, { now: NOW });
    const [medical] = correlate(def, s.state, 'medical-result', {});
    s = complete(def, s.state, medical!.id, { variables: { medicalResult: '已办结' } }, { now: NOW });

    // then
    expect(s.state.status).toBe('completed');
    expect(s.effects).toContainEqual({ type: 'caseEnded', status: 'completed' });
    expect(s.state.items).toEqual({
      'retirement-approval': 'done', 'pension-determination': 'done', 'retirement-certificate': 'done',
      'socialized-management': 'done', 'housing-fund-withdrawal': 'standalone', 'medical-insurance-transfer': 'done',
      'only-child-certificate': 'done',
    });
  });

  it('should let 医保 handle its step in its own system: a wait and a message, not a user task', async () => {
    // given
    const def = await load('changzhou.bpmn');
    const r = throughHrss(def, { name: '张三', requestedItems: ['medical-insurance-transfer'] });
    const wait = waitAt(r, 'Receive_medical');
    expect(wait).toMatchObject({ kind: 'receiveTask', messageName: 'medical-result', department: 'medical', linkedItem: 'medical-insurance-transfer' });
    expect(wait.candidateGroups).toBeUndefined();

    // when: the department system posts a not-eligible result (POST /messages)
    expect(correlate(def, r.state, 'other-message', {})).toEqual([]);
    expect(correlate(def, r.state, 'medical-result', { linkedItem: 'housing-fund-withdrawal' })).toEqual([]);
    const matches = correlate(def, saved(r.state), 'medical-result', { linkedItem: 'medical-insurance-transfer' });
    expect(matches.map((m) => m.id)).toEqual([wait.id]);
    let s = complete(def, saved(r.state), wait.id, { variables: { outcome: 'not-eligible', reason: '未达到医保缴费年限' } }, { now: NOW });

    // then: the flow after the step marks the item standalone; the case goes on to completion
    expect(s.state.items['medical-insurance-transfer']).toBe('standalone');
    expect(s.state.vars.reason).toBe('未达到医保缴费年限');
    s = complete(def, s.state, waitAt(s, 'Task_certificate').id, {}, { now: NOW });
    expect(s.state.status).toBe('completed');
    expect(s.state.history.find((h) => h.el === 'Receive_medical')).toMatchObject({ ev: 'message', o: 'not-eligible' });
  });

  it('should end the case rejected when 人社 rejects, with the other items not applicable', async () => {
    // given
    const def = await load('changzhou.bpmn');
    const r = start(def, { requestedItems: ALL }, { now: NOW, items: ALL });

    // when
    const s = complete(def, r.state, waitAt(r, 'Task_approval').id, { outcome: 'rejected' }, { now: NOW, actor: 'changzhou.hrss' });

    // then
    expect(s.state.status).toBe('rejected');
    expect(s.waits).toEqual([]);
    expect(s.effects.at(-1)).toEqual({ type: 'caseEnded', status: 'rejected' });
    expect(Object.values(s.state.items).every((v) => v === 'not-applicable')).toBe(true);
    expect(s.state.history.find((h) => h.el === 'Task_approval')).toMatchObject({ o: 'rejected', by: 'changzhou.hrss' });
  });

  it('should keep a finished case small (≤ 10 KB of state)', async () => {
    const def = await load('changzhou.bpmn');
    let s = throughHrss(def, { name: '张三', requestedItems: ALL, onlyChildCertificate: '是' });
    while (s.waits.length) {
      const w = s.waits[0]!;
      s = complete(def, s.state, w.id, { outcome: w.outcomes?.[0] }, { now: NOW });
    }
    expect(s.state.status).toBe('completed');
    expect(JSON.stringify(s.state).length).toBeLessThan(10_000);
  });
});
