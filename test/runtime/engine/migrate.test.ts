/**
 * planMigration: a running case onto another version of its flow. Examples (rename with a
 * mapping, a removed step, a changed wait, timers re-planned, a join that could no longer fire),
 * and a property test on random block-structured models with random edits — rename with mapping,
 * insert a step, delete a step holding no token, add a branch: a migration without problems
 * leaves the case consistent and it runs to its end on the new version.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complete, deploy, planMigration, start, type Definition, type StepResult } from '@lianban/runtime';
import { checkConsistent, withItems } from './consistency';
import { blockArb, toXml, VARS } from './random-models';

const NOW = '2026-11-20T09:00:00+08:00';
const LATER = '2026-11-23T09:00:00+08:00';
const LB = 'xmlns:lb="http://lianban.gov.cn/schema/bpmn"';

async function deployed(xml: string): Promise<Definition> {
  const { definition, problems } = await deploy(xml);
  expect(problems).toEqual([]);
  return definition!;
}

function doTask(def: Definition, r: StepResult, el: string): StepResult {
  const w = r.waits.find((x) => x.elementId === el);
  expect(w, `open task ${el}`).toBeDefined();
  return complete(def, r.state, w!.id, {}, { now: NOW });
}

const flowXml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ${LB} id="D" targetNamespace="t">
<bpmn:process id="P" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;

const V1 = flowXml(`<bpmn:startEvent id="Start" />
<bpmn:userTask id="Review" name="审核" lb:candidateGroups="hrss" lb:dueIn="P5D" />
<bpmn:parallelGateway id="Fork" /><bpmn:userTask id="A" name="医保" lb:linkedItem="a" lb:candidateGroups="medical" />
<bpmn:userTask id="B" name="公积金" lb:linkedItem="b" lb:candidateGroups="housing-fund" />
<bpmn:boundaryEvent id="BTimer" attachedToRef="B" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
<bpmn:endEvent id="Late" />
<bpmn:parallelGateway id="Join" /><bpmn:userTask id="Final" name="办结" lb:candidateGroups="hrss" /><bpmn:endEvent id="End" />
<bpmn:sequenceFlow id="f0" sourceRef="Start" targetRef="Review" /><bpmn:sequenceFlow id="f1" sourceRef="Review" targetRef="Fork" />
<bpmn:sequenceFlow id="f2" sourceRef="Fork" targetRef="A" /><bpmn:sequenceFlow id="f3" sourceRef="Fork" targetRef="B" />
<bpmn:sequenceFlow id="f4" sourceRef="A" targetRef="Join" /><bpmn:sequenceFlow id="f5" sourceRef="B" targetRef="Join" />
<bpmn:sequenceFlow id="f6" sourceRef="Join" targetRef="Final" /><bpmn:sequenceFlow id="f7" sourceRef="Final" targetRef="End" />
<bpmn:sequenceFlow id="f8" sourceRef="BTimer" targetRef="Late" />`);

describe('planMigration', () => {
  it('should keep the waits of renamed steps (by mapping), take the new department and re-plan a changed timer', async () => {
    const v1 = await deployed(V1);
    const v2 = await deployed(V1.replaceAll('"A"', '"A2"').replace('lb:candidateGroups="medical"', 'lb:candidateGroups="health"').replace('<bpmn:timeDuration>P3D', '<bpmn:timeDuration>P10D'));
    let r = doTask(v1, start(v1, {}, { now: NOW, items: ['a', 'b'] }), 'Review');
    const before = r.state.waits;
    const plan = planMigration(r.state, v1, v2, { A: 'A2' }, { now: LATER, actor: 'admin' });
    expect(plan.problems).toEqual([]);
    expect(plan.before.tasks.map((t) => `${t.element}:${t.groups?.join()}`).sort()).toEqual(['A:medical', 'B:housing-fund']);
    expect(plan.after.tasks.map((t) => `${t.element}:${t.groups?.join()}`).sort()).toEqual(['A2:health', 'B:housing-fund']);
    const step = plan.step!;
    // user task waits keep their ids; the timer whose spec changed is replaced and due from LATER
    const taskIds = before.filter((w) => w.kind === 'userTask').map((w) => w.id).sort();
    expect(step.state.waits.filter((w) => w.kind === 'userTask').map((w) => w.id).sort()).toEqual(taskIds);
    const oldTimer = before.find((w) => w.kind === 'timer')!;
    expect(step.effects).toContainEqual({ type: 'cancelled', waitId: oldTimer.id, elementId: 'BTimer' });
    const timer = step.waits.find((w) => w.kind === 'timer')!;
    expect(timer.id).not.toBe(oldTimer.id);
    expect(timer.dueAt).toBe(new Date(Date.parse(LATER) + 10 * 86_400_000).toISOString());
    expect(step.state.def).toBe(v2.hash);
    expect(step.state.history.at(-1)).toMatchObject({ ev: 'migrated', by: 'admin' });
    expect(r.state.def).toBe(v1.hash); // the input is not mutated
    r = doTask(v2, doTask(v2, doTask(v2, step, 'A2'), 'B'), 'Final');
    expect(r.state.status).toBe('completed');
    // and back: the reverse mapping
    const back = planMigration(plan.step!.state, v2, v1, { A2: 'A' }, { now: LATER });
    expect(back.problems).toEqual([]);
    expect(back.after.tasks.map((t) => t.element).sort()).toEqual(['A', 'B']);
  });

  it('should report a step without counterpart, a wait whose kind changed, and a case that ended', async () => {
    const v1 = await deployed(V1);
    const r = doTask(v1, start(v1, {}, { now: NOW, items: ['a', 'b'] }), 'Review');
    const renamed = await deployed(V1.replaceAll('"A"', '"A2"'));
    const p1 = planMigration(r.state, v1, renamed);
    expect(p1.problems[0]).toMatchObject({ code: 'no-counterpart', element: 'A' });
    expect(p1.step).toBeUndefined();
    const timer = await deployed(V1.replace('<bpmn:userTask id="A" name="医保" lb:linkedItem="a" lb:candidateGroups="medical" />', '<bpmn:intermediateCatchEvent id="A" name="医保"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'));
    expect(planMigration(r.state, v1, timer).problems.map((p) => p.code)).toContain('wait-kind-changed');
    let done = r;
    for (const el of ['A', 'B', 'Final']) done = doTask(v1, done, el);
    expect(planMigration(done.state, v1, renamed).problems.map((p) => p.code)).toEqual(['not-active']);
    expect(() => planMigration(r.state, renamed, v1)).toThrow(expect.objectContaining({ code: 'definition-mismatch' }));
  });

  it('should refuse a branch added to a parallel block its case is already inside (the join could not fire)', async () => {
    const v1 = await deployed(V1);
    const r = doTask(v1, start(v1, {}, { now: NOW, items: ['a', 'b'] }), 'Review');
    const v2 = await deployed(V1.replace('<bpmn:endEvent id="End" />', '<bpmn:endEvent id="End" /><bpmn:userTask id="C" name="卫健" /><bpmn:sequenceFlow id="fc1" sourceRef="Fork" targetRef="C" /><bpmn:sequenceFlow id="fc2" sourceRef="C" targetRef="Join" />'));
    expect(planMigration(r.state, v1, v2).problems.map((p) => `${p.code}:${p.element}`)).toEqual(['join-cannot-fire:Join']);
    // before the fork it is fine: the new branch runs
    const early = start(v1, {}, { now: NOW, items: ['a', 'b'] });
    const plan = planMigration(early.state, v1, v2, {}, { now: NOW });
    expect(plan.problems).toEqual([]);
    let s = doTask(v2, plan.step!, 'Review');
    expect(s.waits.filter((w) => w.kind === 'userTask').map((w) => w.elementId).sort()).toEqual(['A', 'B', 'C']);
    for (const el of ['A', 'B', 'C', 'Final']) s = doTask(v2, s, el);
    expect(s.state.status).toBe('completed');
  });

  it('should find a join token\'s branch when its last step was removed and steps were inserted on both branches', async () => {
    // given: B done, its token waiting at the join; A still open
    const v1 = await deployed(V1);
    const r = doTask(v1, doTask(v1, start(v1, {}, { now: NOW, items: ['a', 'b'] }), 'Review'), 'B');
    expect(r.state.tokens.find((t) => t.element === 'Join')).toMatchObject({ via: 'f5' });
    // when: B (with its timer) is removed, N inserted where it was and M after A
    const v2 = await deployed(V1
      .replace(/<bpmn:userTask id="B"[^>]*\/>/, '').replace(/<bpmn:boundaryEvent id="BTimer".*?<\/bpmn:boundaryEvent>/s, '')
      .replace('<bpmn:sequenceFlow id="f8" sourceRef="BTimer" targetRef="Late" />', '')
      .replace('<bpmn:sequenceFlow id="f3" sourceRef="Fork" targetRef="B" />', '<bpmn:sequenceFlow id="f3" sourceRef="Fork" targetRef="N" /><bpmn:userTask id="N" /><bpmn:sequenceFlow id="fn" sourceRef="N" targetRef="Join" />')
      .replace('<bpmn:sequenceFlow id="f5" sourceRef="B" targetRef="Join" />', '')
      .replace('<bpmn:sequenceFlow id="f4" sourceRef="A" targetRef="Join" />', '<bpmn:sequenceFlow id="f4" sourceRef="A" targetRef="M" /><bpmn:userTask id="M" /><bpmn:sequenceFlow id="fm" sourceRef="M" targetRef="Join" />'));
    const plan = planMigration(r.state, v1, v2, {}, { now: NOW });
    // then: the token arrived by the branch that now ends in N's flow, and the case runs on
    expect(plan.problems).toEqual([]);
    expect(plan.step!.state.tokens.find((t) => t.element === 'Join')).toMatchObject({ via: 'fn' });
    const s = doTask(v2, doTask(v2, doTask(v2, plan.step!, 'A'), 'M'), 'Final');
    expect(s.state.status).toBe('completed');
  });

  it('should keep random cases consistent across random edits and run them to their end on the new version', async () => {
    const editArb = fc.array(fc.tuple(fc.constantFrom('rename', 'insert', 'delete', 'branch'), fc.nat()), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(blockArb, fc.array(fc.boolean(), { minLength: VARS, maxLength: VARS }), fc.nat({ max: 8 }), editArb, fc.infiniteStream(fc.nat()), async (block, flags, steps, edits, picks) => {
        // given: a case some steps into the old version
        const xml = withItems(toXml(block));
        const v1 = await deployed(xml);
        const vars = Object.fromEntries(flags.map((f, i) => [`v${i}`, f]));
        const pick = picks[Symbol.iterator]();
        const next = (n: number) => pick.next().value % n;
        let r = start(v1, vars, { now: NOW, items: v1.linkedItems });
        for (let i = 0; i < steps && r.waits.length; i++) r = complete(v1, r.state, r.waits[next(r.waits.length)]!.id, {}, { now: NOW });
        if (r.state.status !== 'active') return;

        // when: the model is edited and the case migrated
        const edited = editModel(xml, v1, new Set(r.state.tokens.map((t) => t.element)), edits);
        const v2 = await deployed(edited.xml);
        const plan = planMigration(r.state, v1, v2, edited.mapping, { now: NOW });

        // then: only an added branch may make a problem (a parallel block the case is inside)
        if (!edited.branched) expect(plan.problems, `${JSON.stringify(r.state.tokens)}\n${edited.xml}\n${JSON.stringify(edited.mapping)}`).toEqual([]);
        for (const p of plan.problems) expect(p.code).toBe('join-cannot-fire');
        if (plan.problems.length) return;
        let s = plan.step!;
        checkConsistent(v2, s);
        expect(s.state.def).toBe(v2.hash);
        for (let i = 0; s.waits.length; i++) {
          expect(i).toBeLessThan(500);
          s = complete(v2, s.state, s.waits[next(s.waits.length)]!.id, {}, { now: NOW });
          checkConsistent(v2, s);
        }
        expect(s.state.status).toBe('completed');
        expect(s.state.tokens).toEqual([]);
        for (const status of Object.values(s.state.items)) expect(['done', 'not-applicable']).toContain(status);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Applies random edits to a generated model's XML: rename a task (with a mapping), insert a user
 * task on a flow, delete a task that holds no token, add a branch to a gateway block.
 */
function editModel(xml: string, def: Definition, held: Set<string>, edits: [string, number][]): { xml: string; mapping: Record<string, string>; branched: boolean } {
  const mapping: Record<string, string> = {};
  let branched = false;
  let n = 0;
  const taskIds = () => [...xml.matchAll(/<bpmn:(?:userTask|task) id="([^"]+)"/g)].map((m) => m[1]!);
  const flowOf = (id: string) => new RegExp(`<bpmn:sequenceFlow id="${id}" sourceRef="([^"]+)" targetRef="([^"]+)"( />|>.*?</bpmn:sequenceFlow>)`);
  const flowIds = () => [...xml.matchAll(/<bpmn:sequenceFlow id="([^"]+)"/g)].map((m) => m[1]!);
  for (const [edit, k] of edits) {
    n++;
    if (edit === 'rename') {
      const ids = taskIds().filter((id) => !Object.values(mapping).includes(id));
      if (!ids.length) continue;
      const id = ids[k % ids.length]!;
      const to = `${id}_r${n}`;
      xml = xml.replaceAll(`"${id}"`, `"${to}"`);
      const original = Object.keys(mapping).find((o) => mapping[o] === id) ?? id;
      mapping[original] = to;
    } else if (edit === 'insert') {
      const ids = flowIds();
      const id = ids[k % ids.length]!;
      const m = flowOf(id).exec(xml)!;
      const step = `N${n}`;
      xml = xml.replace(m[0], m[0].replace(`targetRef="${m[2]}"`, `targetRef="${step}"`))
        .replace('</bpmn:process>', `<bpmn:userTask id="${step}" /><bpmn:sequenceFlow id="fn${n}" sourceRef="${step}" targetRef="${m[2]}" /></bpmn:process>`);
    } else if (edit === 'delete') {
      const renamedBack = (id: string) => Object.keys(mapping).find((o) => mapping[o] === id) ?? id;
      const ids = taskIds().filter((id) => !held.has(renamedBack(id)));
      if (!ids.length) continue;
      const id = ids[k % ids.length]!;
      delete mapping[renamedBack(id)];
      const inFlow = new RegExp(`<bpmn:sequenceFlow id="([^"]+)" sourceRef="[^"]+" targetRef="${id}"`).exec(xml)!;
      const outFlow = new RegExp(`<bpmn:sequenceFlow id="[^"]+" sourceRef="${id}" targetRef="([^"]+)"( />|>.*?</bpmn:sequenceFlow>)`).exec(xml)!;
      xml = xml.replace(outFlow[0], '').replace(inFlow[0], inFlow[0].replace(`targetRef="${id}"`, `targetRef="${outFlow[1]}"`))
        .replace(new RegExp(`<bpmn:(?:userTask|task) id="${id}"[^>]*/>`), '');
    } else {
      const splits = Object.values(def.elements).filter((e) => e.type.endsWith('Gateway') && e.outgoing.length > 0 && e.incoming.length === 1 && /^G\d+$/.test(e.id));
      if (!splits.length) continue;
      const split = splits[k % splits.length]!;
      const join = `J${Number(split.id.slice(1)) + 1}`;
      const cond = split.type === 'parallelGateway' ? '' : '<bpmn:conditionExpression>v0 = true</bpmn:conditionExpression>';
      xml = xml.replace('</bpmn:process>', `<bpmn:userTask id="X${n}" /><bpmn:sequenceFlow id="fx${n}" sourceRef="${split.id}" targetRef="X${n}">${cond}</bpmn:sequenceFlow><bpmn:sequenceFlow id="fy${n}" sourceRef="X${n}" targetRef="${join}" /></bpmn:process>`);
      branched = true;
    }
  }
  return { xml, mapping, branched };
}
