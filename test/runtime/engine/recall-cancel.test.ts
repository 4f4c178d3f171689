import { describe, expect, it } from 'vitest';
import { cancelCase, canRecall, complete, deploy, EngineError, openIncidents, recall, recallPoint, retryIncident, start, type Definition } from '@lianban/runtime';
import { NOW, saved, waitAt } from './helpers';

const LATER = '2026-11-21T09:00:00+08:00';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lb="http://lianban.gov.cn/schema/bpmn" targetNamespace="http://lianban.gov.cn/test" id="Defs_moves">
  <bpmn:process id="Process_moves" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_a" />
    <bpmn:userTask id="Task_a" name="受理" lb:candidateGroups="window" lb:linkedItem="retirement-approval" />
    <bpmn:boundaryEvent id="Timer_a" attachedToRef="Task_a">
      <bpmn:timerEventDefinition><bpmn:timeDuration>P10D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f_t" sourceRef="Timer_a" targetRef="End" />
    <bpmn:sequenceFlow id="f2" sourceRef="Task_a" targetRef="Fork" />
    <bpmn:parallelGateway id="Fork" />
    <bpmn:sequenceFlow id="f3" sourceRef="Fork" targetRef="Task_b" lb:itemStatus="in-progress" lb:linkedItem="retirement-approval" />
    <bpmn:sequenceFlow id="f4" sourceRef="Fork" targetRef="Task_c" />
    <bpmn:userTask id="Task_b" name="审核" lb:candidateGroups="hrss" />
    <bpmn:userTask id="Task_c" name="公积金" lb:candidateGroups="housing-fund" lb:linkedItem="housing-fund-withdrawal" />
    <bpmn:sequenceFlow id="f5" sourceRef="Task_b" targetRef="Join" />
    <bpmn:sequenceFlow id="f6" sourceRef="Task_c" targetRef="Join" />
    <bpmn:parallelGateway id="Join" />
    <bpmn:sequenceFlow id="f7" sourceRef="Join" targetRef="Choose" />
    <bpmn:exclusiveGateway id="Choose" />
    <bpmn:sequenceFlow id="f8" sourceRef="Choose" targetRef="End"><bpmn:conditionExpression>ok = true</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

async function def(): Promise<Definition> {
  const { definition, problems } = await deploy(XML);
  if (!definition) throw new Error(JSON.stringify(problems));
  return definition;
}

describe('office moves in the engine', () => {
  it('should recall a completion while the state is the one it produced, restoring waits and items', async () => {
    const d = await def();
    const s0 = start(d, {}, { now: NOW, items: ['retirement-approval', 'housing-fund-withdrawal'] });
    const a = waitAt(s0, 'Task_a');
    const s1 = complete(d, saved(s0.state), a.id, {}, { now: NOW, actor: 'window1' });
    expect(s1.state.items['housing-fund-withdrawal']).toBe('in-progress');
    const point = saved(recallPoint(s0.state, s1.state, a.id));

    const r = recall(d, saved(s1.state), point, { now: LATER, actor: 'window1' });

    // the task and its boundary timer are open again, with the same wait ids; the tasks it opened are withdrawn
    expect(r.waits.map((w) => w.id).sort()).toEqual(s0.waits.map((w) => w.id).sort());
    expect(r.effects).toContainEqual({ type: 'cancelled', waitId: waitAt(s1, 'Task_b').id, elementId: 'Task_b' });
    expect(r.effects).toContainEqual({ type: 'cancelled', waitId: waitAt(s1, 'Task_c').id, elementId: 'Task_c' });
    expect(r.effects).toContainEqual({ type: 'itemStatus', linkedItem: 'housing-fund-withdrawal', status: 'requested' });
    expect(r.state.tokens).toHaveLength(1);
    expect(r.state.seq).toBe(s1.state.seq); // ids are never reused
    expect(r.state.history.at(-1)).toMatchObject({ ev: 'recalled', el: 'Task_a', by: 'window1' });
    // and the flow goes on normally from there, with fresh ids
    const again = complete(d, saved(r.state), a.id, {}, { now: LATER });
    expect(again.waits.map((w) => w.id)).not.toContain(waitAt(s1, 'Task_b').id);
    expect(again.waits.map((w) => w.elementId).sort()).toEqual(['Task_b', 'Task_c']);
  });

  it('should refuse a recall once the case moved on', async () => {
    const d = await def();
    const s0 = start(d, {}, { now: NOW });
    const a = waitAt(s0, 'Task_a');
    const s1 = complete(d, saved(s0.state), a.id, {}, { now: NOW });
    const point = recallPoint(s0.state, s1.state, a.id);
    const s2 = complete(d, saved(s1.state), waitAt(s1, 'Task_b').id, {}, { now: NOW });
    expect(canRecall(s2.state, point)).toBe(false);
    expect(() => recall(d, s2.state, point, { now: LATER })).toThrow(expect.objectContaining({ code: 'moved-on' }) as EngineError);
  });

  it('should cancel a case: no token, every wait cancelled, open items not applicable', async () => {
    const d = await def();
    const s0 = start(d, {}, { now: NOW, items: ['retirement-approval', 'housing-fund-withdrawal'] });
    const s1 = complete(d, saved(s0.state), waitAt(s0, 'Task_a').id, {}, { now: NOW });

    const c = cancelCase(d, saved(s1.state), { now: LATER, actor: 'luan.admin', reason: '申请人已去世' });

    expect(c.state.status).toBe('cancelled');
    expect(c.state.tokens).toEqual([]);
    expect(c.waits).toEqual([]);
    expect(c.effects.filter((e) => e.type === 'cancelled').map((e) => e.type === 'cancelled' && e.elementId).sort()).toEqual(['Task_b', 'Task_c']);
    expect(c.state.items).toEqual({ 'retirement-approval': 'not-applicable', 'housing-fund-withdrawal': 'not-applicable' });
    expect(c.effects.some((e) => e.type === 'caseEnded')).toBe(false);
    expect(() => complete(d, c.state, waitAt(s1, 'Task_b').id, {}, { now: LATER })).toThrow(EngineError);
  });

  it('should retry an incident: refused again while the cause stays, then goes on once fixed', async () => {
    const d = await def();
    let s = start(d, {}, { now: NOW });
    s = complete(d, saved(s.state), waitAt(s, 'Task_a').id, {}, { now: NOW });
    s = complete(d, saved(s.state), waitAt(s, 'Task_b').id, {}, { now: NOW });
    s = complete(d, saved(s.state), waitAt(s, 'Task_c').id, {}, { now: NOW });
    // no flow out of Choose holds: an incident, the token parked there
    expect(openIncidents(s.state)).toEqual([expect.objectContaining({ index: 0, el: 'Choose', code: 'no-path' })]);

    const same = retryIncident(d, saved(s.state), 0, { now: LATER });
    expect(same.effects.some((e) => e.type === 'incident')).toBe(true);

    const fixed = saved(s.state);
    fixed.vars.ok = true;
    const r = retryIncident(d, fixed, 0, { now: LATER, actor: 'luan.admin' });
    expect(r.state.status).toBe('completed');
    expect(openIncidents(r.state)).toEqual([]);
    expect(() => retryIncident(d, fixed, 1, { now: LATER })).toThrow(expect.objectContaining({ code: 'no-incident' }) as EngineError);
  });
});
