/**
 * 退回 and the admin's move (moveTokens / returnTargets): examples, and property tests on random
 * block-structured models where every user task handles a linked item: any sequence of
 * complete / return / move — and 撤回 (recall) and 终止/撤回申请 (cancelCase) interleaved — keeps
 * the case consistent; it still runs to its end, or, cancelled, holds nothing live.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cancelCase, canRecall, complete, deploy, moveTokens, recall, recallPoint, returnTargets, start, type Definition, type FlowState, type RecallPoint, type StepResult } from '@lianban/runtime';
import { blockArb, toXml, VARS } from './random-models';
import { checkConsistent, withItems } from './consistency';

const NOW = '2026-11-20T09:00:00+08:00';
const LB = 'xmlns:lb="http://lianban.gov.cn/schema/bpmn"';

async function deployed(xml: string): Promise<Definition> {
  const { definition, problems } = await deploy(xml);
  expect(problems).toEqual([]);
  return definition!;
}

const PAR = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ${LB} id="D" targetNamespace="t">
<bpmn:process id="P" isExecutable="true">
<bpmn:startEvent id="Start" /><bpmn:userTask id="Intake" name="受理" lb:noReturn="true" /><bpmn:userTask id="Review" name="审核" />
<bpmn:parallelGateway id="Fork" /><bpmn:userTask id="A1" name="A1" lb:linkedItem="a" /><bpmn:userTask id="A2" name="A2" />
<bpmn:userTask id="B1" name="B1" lb:linkedItem="b" /><bpmn:parallelGateway id="Join" /><bpmn:userTask id="Final" name="办结" /><bpmn:endEvent id="End" />
<bpmn:sequenceFlow id="f0" sourceRef="Start" targetRef="Intake" /><bpmn:sequenceFlow id="f1" sourceRef="Intake" targetRef="Review" />
<bpmn:sequenceFlow id="f2" sourceRef="Review" targetRef="Fork" /><bpmn:sequenceFlow id="f3" sourceRef="Fork" targetRef="A1" />
<bpmn:sequenceFlow id="f4" sourceRef="A1" targetRef="A2" /><bpmn:sequenceFlow id="f5" sourceRef="A2" targetRef="Join" />
<bpmn:sequenceFlow id="f6" sourceRef="Fork" targetRef="B1" /><bpmn:sequenceFlow id="f7" sourceRef="B1" targetRef="Join" />
<bpmn:sequenceFlow id="f8" sourceRef="Join" targetRef="Final" /><bpmn:sequenceFlow id="f9" sourceRef="Final" targetRef="End" />
</bpmn:process></bpmn:definitions>`;

function doTask(def: Definition, r: StepResult, el: string): StepResult {
  const w = r.waits.find((x) => x.elementId === el);
  expect(w, `open task ${el}`).toBeDefined();
  return complete(def, r.state, w!.id, {}, { now: NOW });
}

describe('moveTokens and returnTargets', () => {
  it('should return from inside a parallel branch to before the fork, dropping the sibling branch and its join token', async () => {
    const def = await deployed(PAR);
    let r = start(def, {}, { now: NOW, items: ['a', 'b'] });
    r = doTask(def, doTask(def, r, 'Intake'), 'Review');
    r = doTask(def, r, 'B1'); // B waits at the join
    r = doTask(def, r, 'A1');
    expect(r.state.items).toEqual({ a: 'done', b: 'done' });
    const a2 = r.waits.find((w) => w.elementId === 'A2')!;

    expect(returnTargets(def, r.state, a2.id).map((t) => t.elementId).sort()).toEqual(['A1', 'Intake', 'Review']);
    r = moveTokens(def, r.state, { from: [a2.id], to: 'Review' }, { now: NOW, actor: 'hrss.li' });

    expect(r.waits.map((w) => w.elementId)).toEqual(['Review']);
    expect(r.state.tokens).toHaveLength(1);
    expect(r.effects).toContainEqual({ type: 'cancelled', waitId: a2.id, elementId: 'A2' });
    expect(r.state.items).toEqual({ a: 'requested', b: 'requested' });
    expect(r.state.history.at(-1)).toMatchObject({ ev: 'moved', el: 'Review', o: 'A2', by: 'hrss.li' });
    r = doTask(def, doTask(def, doTask(def, doTask(def, r, 'Review'), 'A1'), 'A2'), 'B1');
    r = doTask(def, r, 'Final');
    expect(r.state.status).toBe('completed');
  });

  it('should return from after the join into one branch, and the join should wait for that branch only', async () => {
    const def = await deployed(PAR);
    let r = start(def, {}, { now: NOW, items: ['a', 'b'] });
    for (const el of ['Intake', 'Review', 'A1', 'A2', 'B1']) r = doTask(def, r, el);
    const fin = r.waits.find((w) => w.elementId === 'Final')!;
    r = moveTokens(def, r.state, { from: [fin.id], to: 'A1' }, { now: NOW });
    expect(r.waits.map((w) => w.elementId)).toEqual(['A1']);
    expect(r.state.items).toEqual({ a: 'in-progress', b: 'done' });
    r = doTask(def, doTask(def, r, 'A1'), 'A2');
    expect(r.waits.map((w) => w.elementId)).toEqual(['Final']);
    r = doTask(def, r, 'Final');
    expect(r.state.status).toBe('completed');
    expect(r.state.tokens).toEqual([]);
  });

  it('should offer no step before one marked lb:noReturn, and refuse unknown places', async () => {
    const def = await deployed(PAR);
    let r = start(def, {}, { now: NOW });
    r = doTask(def, doTask(def, r, 'Intake'), 'Review');
    const b1 = r.waits.find((w) => w.elementId === 'B1')!;
    expect(returnTargets(def, r.state, b1.id)).toEqual([{ elementId: 'Review', name: '审核' }, { elementId: 'Intake', name: '受理' }]);
    expect(() => moveTokens(def, r.state, { from: ['nope'], to: 'Review' })).toThrow(expect.objectContaining({ code: 'unknown-wait' }));
    expect(() => moveTokens(def, r.state, { from: [b1.id], to: 'Join' })).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(() => moveTokens(def, r.state, { from: [b1.id], to: 'Nowhere' })).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  });

  it('should return from inside a sub-process to a step before it, ending the sub-process scope', async () => {
    const def = await deployed(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
<bpmn:process id="P" isExecutable="true">
<bpmn:startEvent id="Start" /><bpmn:userTask id="Check" name="初审" />
<bpmn:subProcess id="Sub"><bpmn:startEvent id="SubStart" /><bpmn:userTask id="Inner1" name="会商" /><bpmn:userTask id="Inner2" name="复核" /><bpmn:endEvent id="SubEnd" />
<bpmn:sequenceFlow id="s1" sourceRef="SubStart" targetRef="Inner1" /><bpmn:sequenceFlow id="s2" sourceRef="Inner1" targetRef="Inner2" /><bpmn:sequenceFlow id="s3" sourceRef="Inner2" targetRef="SubEnd" /></bpmn:subProcess>
<bpmn:endEvent id="End" />
<bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Check" /><bpmn:sequenceFlow id="f2" sourceRef="Check" targetRef="Sub" /><bpmn:sequenceFlow id="f3" sourceRef="Sub" targetRef="End" />
</bpmn:process></bpmn:definitions>`);
    let r = doTask(def, doTask(def, start(def, {}, { now: NOW }), 'Check'), 'Inner1');
    const inner2 = r.waits.find((w) => w.elementId === 'Inner2')!;
    expect(returnTargets(def, r.state, inner2.id)).toEqual([{ elementId: 'Inner1', name: '会商' }, { elementId: 'Check', name: '初审' }]);
    // within the sub-process: same scope
    const within = moveTokens(def, r.state, { from: [inner2.id], to: 'Inner1' }, { now: NOW });
    expect(within.waits.map((w) => w.elementId)).toEqual(['Inner1']);
    expect(within.state.scopes).toHaveLength(2);
    // to before it: the sub-process and its scope are gone
    r = moveTokens(def, r.state, { from: [inner2.id], to: 'Check' }, { now: NOW });
    expect(r.waits.map((w) => w.elementId)).toEqual(['Check']);
    expect(r.state.scopes).toEqual([{ id: 's0' }]);
    expect(r.state.tokens).toHaveLength(1);
    r = doTask(def, doTask(def, doTask(def, r, 'Check'), 'Inner1'), 'Inner2');
    expect(r.state.status).toBe('completed');
  });

  it('should compile lb:noReturn and refuse a value other than true/false', async () => {
    const bad = await deploy(PAR.replace('lb:noReturn="true"', 'lb:noReturn="yes"'));
    expect(bad.problems.map((p) => p.code)).toContain('invalid-no-return');
    expect((await deployed(PAR)).elements.Intake!.lb.noReturn).toBe(true);
  });

  it('should keep random models consistent under any sequence of complete / return / move, and run them to the end', async () => {
    await fc.assert(
      fc.asyncProperty(blockArb, fc.array(fc.boolean(), { minLength: VARS, maxLength: VARS }), fc.infiniteStream(fc.nat()), async (block, flags, picks) => {
        // given
        const def = await deployed(withItems(toXml(block)));
        const vars = Object.fromEntries(flags.map((f, i) => [`v${i}`, f]));
        const pick = picks[Symbol.iterator]();
        const next = (n: number) => pick.next().value % n;
        let r = start(def, vars, { now: NOW, items: def.linkedItems });
        checkConsistent(def, r);

        // when: random completes, returns and moves, with at most 12 moves so the case ends
        let moves = 0;
        for (let steps = 0; r.waits.length; steps++) {
          expect(steps).toBeLessThan(2000);
          const state = JSON.parse(JSON.stringify(r.state)) as FlowState;
          const wait = r.waits[next(r.waits.length)]!;
          const op = moves < 12 ? next(4) : 0;
          const targets = returnTargets(def, state, wait.id);
          if (op === 1 && targets.length) {
            r = moveTokens(def, state, { from: [wait.id], to: targets[next(targets.length)]!.elementId }, { now: NOW });
            moves++;
          } else if (op === 2) {
            // admin move: every token (waits and join tokens) to a user task on the process's main line (outside any block)
            const main = Object.values(def.elements).filter((e) => e.type === 'userTask' && isMainLine(def, e.id));
            if (main.length) {
              r = moveTokens(def, state, { from: [...new Set(state.tokens.map((t) => t.element))], to: main[next(main.length)]!.id }, { now: NOW });
              moves++;
            } else r = complete(def, state, wait.id, {}, { now: NOW });
          } else r = complete(def, state, wait.id, {}, { now: NOW });
          checkConsistent(def, r);
        }

        // then: ended once, no token left, after the last move each element completed at most once
        expect(r.state.status).toBe('completed');
        expect(r.state.tokens).toEqual([]);
        const lastMove = r.state.history.map((h) => h.ev).lastIndexOf('moved');
        const after = r.state.history.slice(lastMove + 1).filter((h) => h.ev === 'completed').map((h) => h.el);
        expect(new Set(after).size).toBe(after.length);
        expect(r.state.history.filter((h) => h.ev === 'ended')).toHaveLength(1);
        for (const status of Object.values(r.state.items)) expect(['done', 'not-applicable']).toContain(status);
      }),
      { numRuns: 200 },
    );
  });

  it('should keep random models consistent when recall and cancelCase are interleaved with complete / return / move', async () => {
    const seen = { recalled: 0, refused: 0, cancelled: 0, ended: 0 };
    await fc.assert(
      fc.asyncProperty(blockArb, fc.array(fc.boolean(), { minLength: VARS, maxLength: VARS }), fc.infiniteStream(fc.nat()), async (block, flags, picks) => {
        // given
        const def = await deployed(withItems(toXml(block)));
        const vars = Object.fromEntries(flags.map((f, i) => [`v${i}`, f]));
        const pick = picks[Symbol.iterator]();
        const next = (n: number) => pick.next().value % n;
        let r = start(def, vars, { now: NOW, items: def.linkedItems });
        checkConsistent(def, r);
        /** The latest completion's recall point, as the server keeps it (stored as JSON). */
        let point: RecallPoint | undefined;
        let cancelled = false;

        // when: random operations; at most 12 moves / recalls so the case ends
        let moves = 0;
        for (let steps = 0; r.waits.length; steps++) {
          expect(steps).toBeLessThan(2000);
          const state = JSON.parse(JSON.stringify(r.state)) as FlowState;
          const wait = r.waits[next(r.waits.length)]!;
          const op = moves < 12 ? next(8) : 0;
          const targets = returnTargets(def, state, wait.id);
          if (op === 1 && targets.length) {
            r = moveTokens(def, state, { from: [wait.id], to: targets[next(targets.length)]!.elementId }, { now: NOW });
            moves++;
          } else if (op === 2) {
            const main = Object.values(def.elements).filter((e) => e.type === 'userTask' && isMainLine(def, e.id));
            if (!main.length) continue;
            r = moveTokens(def, state, { from: [...new Set(state.tokens.map((t) => t.element))], to: main[next(main.length)]!.id }, { now: NOW });
            moves++;
          } else if ((op === 4 || op === 5) && point) {
            // 撤回: allowed exactly while the state is the one the completion produced
            const allowed = canRecall(state, point);
            if (!allowed) {
              expect(() => recall(def, state, point!, { now: NOW })).toThrow(expect.objectContaining({ code: 'moved-on' }));
              seen.refused++;
              point = undefined;
              continue;
            }
            const before = point;
            r = recall(def, state, before, { now: NOW, actor: 'staff' });
            // the tokens and waits are those before the completion; waits opened since are withdrawn
            expect(r.state.tokens).toEqual(before.before.tokens);
            expect(r.state.waits.map((w) => w.id).sort()).toEqual(before.before.waits.map((w) => w.id).sort());
            expect(r.state.items).toEqual(before.before.items);
            const withdrawn = state.waits.filter((w) => !before.before.waits.some((b) => b.id === w.id)).map((w) => w.id).sort();
            expect(r.effects.flatMap((e) => (e.type === 'cancelled' ? [e.waitId] : [])).sort()).toEqual(withdrawn);
            expect(r.state.seq).toBe(state.seq);
            point = undefined; // one recall per completion
            seen.recalled++;
            moves++;
          } else if (op === 6 && next(3) === 0) {
            // 终止 / 撤回申请: the case ends with nothing live
            r = cancelCase(def, state, { now: NOW, reason: '终止' });
            const withdrawn = r.effects.flatMap((e) => (e.type === 'cancelled' ? [e.waitId] : [])).sort();
            expect(withdrawn).toEqual(state.waits.map((w) => w.id).sort());
            cancelled = true;
          } else {
            r = complete(def, state, wait.id, {}, { now: NOW });
            point = JSON.parse(JSON.stringify(recallPoint(state, r.state, wait.id))) as RecallPoint;
          }
          checkConsistent(def, r);
        }

        if (cancelled) {
          // then: no live token, wait or scope below the process; every item final; nothing more can happen
          expect(r.state.status).toBe('cancelled');
          expect(r.state.tokens).toEqual([]);
          expect(r.state.waits).toEqual([]);
          expect(r.state.scopes.every((sc) => !sc.token)).toBe(true);
          for (const status of Object.values(r.state.items)) expect(['done', 'not-applicable']).toContain(status);
          expect(r.state.history.filter((h) => h.ev === 'cancelled' && h.el === def.processId)).toHaveLength(1);
          expect(r.state.history.filter((h) => h.ev === 'ended')).toHaveLength(0);
          if (point) expect(canRecall(r.state, point)).toBe(false);
          seen.cancelled++;
          return;
        }
        // then: ended once, no token left, after the last move or recall each element completed at most once
        expect(r.state.status).toBe('completed');
        expect(r.state.tokens).toEqual([]);
        const evs = r.state.history.map((h) => h.ev);
        const lastMove = Math.max(evs.lastIndexOf('moved'), evs.lastIndexOf('recalled'));
        const after = r.state.history.slice(lastMove + 1).filter((h) => h.ev === 'completed').map((h) => h.el);
        expect(new Set(after).size).toBe(after.length);
        expect(r.state.history.filter((h) => h.ev === 'ended')).toHaveLength(1);
        for (const status of Object.values(r.state.items)) expect(['done', 'not-applicable']).toContain(status);
        if (point) expect(canRecall(r.state, point)).toBe(false); // an ended case cannot be recalled
        seen.ended++;
      }),
      { numRuns: 200 },
    );
    // the runs did exercise every path: recalls done and refused, cases cancelled and ended
    expect(Object.values(seen).every((n) => n > 0), JSON.stringify(seen)).toBe(true);
  });
});

/** A user task on the main line: every path from the start to the end passes it (not inside any block). */
function isMainLine(def: Definition, id: string): boolean {
  // Block-structured: an element is on the main line when its scope's start reaches the end only through it.
  const seen = new Set<string>();
  const stack = [def.starts.none!];
  while (stack.length) {
    const cur = stack.pop()!;
    if (cur === id || seen.has(cur)) continue;
    seen.add(cur);
    const el = def.elements[cur]!;
    if (el.type === 'endEvent') return false;
    for (const f of el.outgoing) stack.push(def.flows[f]!.target);
  }
  return true;
}
