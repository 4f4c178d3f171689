/** The three-way merge of provincial templates (runtime/src/matters/template-merge.ts), on the shipped 六安 matter. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyTemplateChanges, checkMatter, deploy, templateDiff, type TemplateBundle } from '@lianban/runtime';
import { loadTemplates } from '@lianban/templates';

const DEPARTMENTS = ['window', 'hrss', 'medical', 'housing-fund'];

function luan(): TemplateBundle {
  const city = loadTemplates().cities.find((c) => c.key === 'luan')!;
  const { key: _key, title, ...matter } = city.matters[0]!;
  const flow = city.flows.find((f) => f.key === matter.flow)!;
  return structuredClone({
    title, matter,
    forms: matter.forms.map((r) => { const f = city.forms.find((x) => x.key === r.key)!; return { key: f.key, title: f.title, schema: f.schema }; }),
    flow: { key: flow.key, title: flow.title, xml: flow.xml },
  });
}

const UNIT = 'luan-retirement-unit';
const props = (b: TemplateBundle, form = UNIT) => b.forms.find((f) => f.key === form)!.schema.properties as Record<string, Record<string, unknown>>;

/** The template's next version: a field renamed and one added, a step inserted, a material added, a longer time limit. */
function templateV2(): TemplateBundle {
  const b = luan();
  props(b).unitName!.title = '参保单位名称';
  const form = b.forms.find((f) => f.key === UNIT)!;
  const entries = Object.entries(props(b));
  const at = entries.findIndex(([k]) => k === 'agentPhone') + 1;
  entries.splice(at, 0, ['agentEmail', { type: 'string', title: '电子邮箱', 'x-field-type': 'text', maxLength: 100 }]);
  form.schema.properties = Object.fromEntries(entries);
  b.flow.xml = b.flow.xml
    .replace('<bpmn:sequenceFlow id="Flow_to_window_decision" sourceRef="Task_window" targetRef="Gw_window" />',
      '<bpmn:sequenceFlow id="Flow_to_window_decision" sourceRef="Task_window" targetRef="Task_check" />\n    <bpmn:userTask id="Task_check" name="材料复核" lb:candidateGroups="window" />\n    <bpmn:sequenceFlow id="Flow_check" sourceRef="Task_check" targetRef="Gw_window" />')
    .replace('name="一窗受理（查验申请表及材料）"', 'name="综合窗口受理"');
  b.matter.linkedItems[0]!.materials!.push({ name: '居民户口簿', kind: 'on-request' });
  b.matter.timeLimit = { workdays: 15 };
  return b;
}

async function problemsOf(b: TemplateBundle) {
  return (await checkMatter({ matter: b.matter, forms: b.forms, flow: b.flow, departments: DEPARTMENTS })).problems;
}

describe('templateDiff / applyTemplateChanges', () => {
  it('finds nothing when the template did not change, whatever the city did', async () => {
    const base = luan();
    const ours = luan();
    props(ours).unitName!.title = '本市单位名称';
    ours.matter.linkedItems[0]!.department = 'window';
    expect(await templateDiff(base, luan(), ours)).toEqual([]);
  });

  it('taking every change when the city changed nothing gives the template, which still publishes', async () => {
    const base = luan();
    const theirs = templateV2();
    expect((await deploy(theirs.flow.xml)).problems).toEqual([]);
    const changes = await templateDiff(base, theirs, luan());
    expect(changes.every((c) => !c.conflict)).toBe(true);
    expect(changes.map((c) => c.id).sort()).toEqual([
      'field:luan-retirement-unit/agentEmail', 'field:luan-retirement-unit/unitName#title',
      'flow:Flow_check', 'flow:Flow_to_window_decision#target', 'flow:Task_check', 'flow:Task_window#name',
      'item:retirement-normal#materials', 'matter#timeLimit',
    ]);
    const { bundle, skipped } = await applyTemplateChanges(luan(), theirs, changes, changes.map((c) => c.id));
    expect(skipped).toEqual([]);
    expect(bundle.forms).toEqual(theirs.forms);
    expect(Object.keys(props(bundle))).toEqual(Object.keys(props(theirs)));
    expect(bundle.matter).toEqual(theirs.matter);
    const [a, b] = await Promise.all([deploy(bundle.flow.xml), deploy(theirs.flow.xml)]);
    const sorted = (d: typeof a.definition) => JSON.stringify(d, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v));
    expect(sorted({ ...a.definition!, hash: '' })).toBe(sorted({ ...b.definition!, hash: '' }));
    expect(bundle.flow.xml).toContain('<bpmndi:BPMNShape id="Task_window_di"');
    expect(await problemsOf(bundle)).toEqual([]);
    expect(await templateDiff(base, theirs, bundle)).toEqual([]);
  });

  it('flags the city changing the same unit differently, and never applies it unless told', async () => {
    const base = luan();
    const theirs = templateV2();
    const ours = luan();
    props(ours).unitName!.title = '用人单位名称';
    ours.flow.xml = ours.flow.xml.replace('name="一窗受理（查验申请表及材料）" lb:candidateGroups="window"', 'name="一窗受理（查验申请表及材料）" lb:candidateGroups="hrss"');
    const changes = await templateDiff(base, theirs, ours);
    const label = changes.find((c) => c.id === 'field:luan-retirement-unit/unitName#title')!;
    expect(label).toMatchObject({ unit: 'field', kind: 'changed', base: '单位名称', theirs: '参保单位名称', ours: '用人单位名称', conflict: true });
    expect(changes.find((c) => c.id === 'flow:Task_window#name')!.conflict).toBe(false);
    expect(changes.filter((c) => c.conflict).map((c) => c.id)).toEqual(['field:luan-retirement-unit/unitName#title']);

    const all = changes.map((c) => c.id);
    const taken = await applyTemplateChanges(ours, theirs, changes, all);
    expect(taken.skipped).toEqual([{ id: label.id, reason: expect.stringContaining('冲突') }]);
    expect(props(taken.bundle).unitName!.title).toBe('用人单位名称');
    expect(props(taken.bundle).agentEmail).toMatchObject({ title: '电子邮箱' });
    expect(taken.bundle.flow.xml).toMatch(/id="Task_window" name="综合窗口受理" lb:candidateGroups="hrss"/);
    expect(await problemsOf(taken.bundle)).toEqual([]);

    const resolved = await applyTemplateChanges(ours, theirs, changes, [label.id], { resolve: 'theirs' });
    expect(props(resolved.bundle).unitName!.title).toBe('参保单位名称');
  });

  it('removes a step with its sequence flows and its shape', async () => {
    const base = templateV2();
    const theirs = luan();
    const changes = await templateDiff(base, theirs, templateV2());
    expect(changes.find((c) => c.id === 'flow:Task_check')).toMatchObject({ kind: 'removed', conflict: false });
    const { bundle } = await applyTemplateChanges(templateV2(), theirs, changes, changes.map((c) => c.id));
    expect(bundle.flow.xml).not.toContain('Task_check');
    expect(await problemsOf(bundle)).toEqual([]);
  });

  it('property: a conflicting field title is never overwritten without resolve', async () => {
    const keys = Object.keys(props(luan())).filter((k) => typeof props(luan())[k]!.title === 'string').slice(0, 8);
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(fc.constantFrom(...keys), fc.constantFrom('甲', '乙', '丙')), { maxLength: 5 }),
      fc.array(fc.tuple(fc.constantFrom(...keys), fc.constantFrom('甲', '乙', '丙')), { maxLength: 5 }),
      async (cityEdits, templateEdits) => {
        const base = luan(); const theirs = luan(); const ours = luan();
        for (const [k, t] of cityEdits) props(ours)[k]!.title = t;
        for (const [k, t] of templateEdits) props(theirs)[k]!.title = t;
        const changes = await templateDiff(base, theirs, ours);
        const { bundle } = await applyTemplateChanges(ours, theirs, changes, changes.map((c) => c.id));
        for (const k of keys) {
          const b = props(base)[k]!.title; const o = props(ours)[k]!.title; const t = props(theirs)[k]!.title;
          // the city's own change stays; where the city kept the original, the template's change comes in
          expect(props(bundle)[k]!.title).toBe(o !== b ? o : t);
          expect(changes.some((c) => c.id === `field:${UNIT}/${k}#title` && c.conflict)).toBe(o !== b && t !== b && o !== t);
        }
      },
    ), { numRuns: 25 });
  });
});
