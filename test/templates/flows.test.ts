/**
 * The shipped flows and matters: they deploy, they agree with the forms and the matters (every
 * opt-in has a branch, every department exists, every condition reads a form field), and their
 * diagram (BPMN DI) is complete and laid out left to right so bpmn-js opens them cleanly.
 */
import { describe, expect, it } from 'vitest';
import { BpmnModdle } from 'bpmn-moddle';
import { deploy, lianbanModdle, taskFormKeys, walkSchema } from '@lianban/runtime';
import { loadTemplates, type CityKey } from '@lianban/templates';
import { asSchema, city, CHANGZHOU_SEED, DEPARTMENTS, LINKED_ITEMS, LUAN_SEED, squash } from './helpers';

const CITIES: CityKey[] = ['luan', 'changzhou'];
const SEEDS: Record<CityKey, string> = { luan: squash(LUAN_SEED), changzhou: squash(CHANGZHOU_SEED) };

interface Bounds { x: number; y: number; width: number; height: number }
interface DiElement { $type: string; id: string; bpmnElement?: { id: string; $type: string }; bounds?: Bounds; waypoint?: { x: number; y: number }[] }
interface FlowElement { $type: string; id: string; name?: string; sourceRef?: { id: string }; targetRef?: { id: string } }

async function parse(xml: string) {
  const moddle = new BpmnModdle({ lb: lianbanModdle });
  const { rootElement, warnings } = await moddle.fromXML(xml);
  const defs = rootElement as unknown as {
    rootElements: { $type: string; flowElements?: FlowElement[] }[];
    diagrams: { plane: { bpmnElement: { id: string }; planeElement: DiElement[] } }[];
  };
  const process = defs.rootElements.find((r) => r.$type === 'bpmn:Process')!;
  return { warnings, process, diagrams: defs.diagrams };
}

/**
 * Fields only one application form prints, read by a condition that is false without them (a
 * missing variable is null): 附件4's 「申领的社会保障卡是否需要寄送」 (附件3 has no such question).
 */
const ONE_FORM_ONLY: ReadonlySet<string> = new Set(['cardMailing']);

describe.each(CITIES)('%s flow and matter', (cityKey) => {
  const c = city(cityKey);
  const matter = c.matters[0]!;
  const flow = c.flows.find((f) => f.key === matter.flow)!;

  it('should ship one matter binding the city forms and its flow', () => {
    expect(c.matters).toHaveLength(1);
    expect(flow).toBeDefined();
    expect(matter.forms.map((f) => f.key).sort()).toEqual(c.forms.map((f) => f.key).sort());
    expect(Object.keys(matter).sort()).toEqual(['contact', 'flow', 'forms', 'key', 'linkedItems', 'title']);
    expect(matter.linkedItems.map((i) => i.key).sort()).toEqual([...LINKED_ITEMS[cityKey]].sort());
  });

  it('should deploy without problems', async () => {
    const { definition, problems } = await deploy(flow.xml);
    expect(problems).toEqual([]);
    expect(definition!.linkedItems.sort()).toEqual([...LINKED_ITEMS[cityKey]].sort());
  });

  it('should give every opt-in field a branch, a matter item and an existing department', async () => {
    const { definition } = await deploy(flow.xml);
    const optIns = new Set(c.forms.flatMap((f) => walkSchema(asSchema(f)).map((n) => n.schema['x-linked-item'] as unknown as string | undefined).filter(Boolean)));
    expect(optIns.size).toBeGreaterThan(0);
    for (const key of optIns) {
      expect(definition!.linkedItems, key).toContain(key);
      const item = matter.linkedItems.find((i) => i.key === key);
      expect(item, key).toBeDefined();
      expect(item!.mandatory, key).toBeFalsy();
    }
    for (const item of matter.linkedItems) {
      expect(DEPARTMENTS[cityKey], item.key).toContain(item.department);
      // optional items have an opt-in on a form; mandatory ones have none (API.md)
      expect(optIns.has(item.key), item.key).toBe(!item.mandatory);
    }
  });

  it('should route every step to a department of the city (or the applicant)', async () => {
    const { definition } = await deploy(flow.xml);
    for (const el of Object.values(definition!.elements)) {
      for (const g of [...(el.lb.candidateGroups ?? []), ...(el.lb.department ? [el.lb.department] : [])]) {
        expect([...DEPARTMENTS[cityKey], 'applicant'], el.id).toContain(g);
      }
      if (el.type === 'userTask') expect(el.lb.candidateGroups?.length, el.id).toBeGreaterThan(0);
    }
  });

  it('should read only form fields (or the engine outcome) in its conditions', async () => {
    const { definition } = await deploy(flow.xml);
    const fields = new Set(c.forms.flatMap((f) => walkSchema(asSchema(f)).filter((n) => n.keyed).map((n) => n.key)));
    const conditions = Object.values(definition!.flows).filter((f) => f.condition);
    expect(conditions.length).toBeGreaterThan(0);
    for (const f of conditions) for (const v of f.condition!.vars) expect(['outcome', ...fields], `${f.id}: ${f.condition!.expr}`).toContain(v);
    // each application form the applicant may choose has every field the conditions read (六安: both versions)
    const taskForms = taskFormKeys(flow.xml);
    const applicationForms = c.forms.filter((f) => !taskForms.has(f.key));
    for (const f of applicationForms) {
      const keys = new Set(walkSchema(asSchema(f)).map((n) => n.key));
      for (const cond of conditions) for (const v of cond.condition!.vars) if (v !== 'outcome' && !ONE_FORM_ONLY.has(v)) expect(keys.has(v), `${f.key} lacks ${v}`).toBe(true);
    }
  });

  it('should name its items and materials as the seed prints them', () => {
    for (const item of matter.linkedItems) {
      expect(SEEDS[cityKey], item.title).toContain(squash(item.title));
      for (const m of item.materials ?? []) expect(SEEDS[cityKey], m.name).toContain(squash(m.name));
    }
  });

  it('should carry a complete left-to-right diagram (every shape and edge, no overlaps)', async () => {
    const { warnings, process, diagrams } = await parse(flow.xml);
    expect(warnings).toEqual([]);
    expect(diagrams).toHaveLength(1);
    const plane = diagrams[0]!.plane;
    const elements = process.flowElements!;
    const di = new Map(plane.planeElement.map((d) => [d.bpmnElement!.id, d]));
    const nodes = elements.filter((e) => e.$type !== 'bpmn:SequenceFlow');
    const edges = elements.filter((e) => e.$type === 'bpmn:SequenceFlow');
    for (const n of nodes) {
      const d = di.get(n.id);
      expect(d?.$type, n.id).toBe('bpmndi:BPMNShape');
      expect(d!.bounds!.width, n.id).toBeGreaterThan(0);
      if (n.$type.endsWith('Task')) expect(n.name, n.id).toBeTruthy();
    }
    const center = (id: string) => { const b = di.get(id)!.bounds!; return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; };
    for (const e of edges) {
      const d = di.get(e.id);
      expect(d?.$type, e.id).toBe('bpmndi:BPMNEdge');
      const pts = d!.waypoint!;
      expect(pts.length, e.id).toBeGreaterThanOrEqual(2);
      // waypoints are orthogonal: each segment is horizontal or vertical
      for (let i = 1; i < pts.length; i++) expect(pts[i]!.x === pts[i - 1]!.x || pts[i]!.y === pts[i - 1]!.y, e.id).toBe(true);
      // the edge starts on its source and ends on its target shape
      const on = (p: { x: number; y: number }, id: string) => {
        const b = di.get(id)!.bounds!;
        return p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height;
      };
      expect(on(pts[0]!, e.sourceRef!.id), `${e.id} starts on ${e.sourceRef!.id}`).toBe(true);
      expect(on(pts.at(-1)!, e.targetRef!.id), `${e.id} ends on ${e.targetRef!.id}`).toBe(true);
      // left to right, except a loop back for correction
      const loop = e.id === 'Flow_corrected';
      if (!loop) expect(center(e.targetRef!.id).x, e.id).toBeGreaterThanOrEqual(center(e.sourceRef!.id).x);
    }
    const boxes = nodes.map((n) => ({ id: n.id, b: di.get(n.id)!.bounds! }));
    const attached = (id: string) => (nodes.find((n) => n.id === id) as { attachedToRef?: { id: string } } | undefined)?.attachedToRef?.id;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.b, b = boxes[j]!.b;
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        // a boundary event sits on its host's border
        if (attached(boxes[i]!.id) === boxes[j]!.id || attached(boxes[j]!.id) === boxes[i]!.id) continue;
        expect(overlap, `${boxes[i]!.id} overlaps ${boxes[j]!.id}`).toBe(false);
      }
    }
  });
});

describe('loadTemplates', () => {
  it('should read both cities with titles, schemas, examples, flows and matters', () => {
    const { cities } = loadTemplates();
    expect(cities.map((c) => c.key)).toEqual(['luan', 'changzhou']);
    for (const c of cities) {
      for (const f of c.forms) {
        expect(f.title).toBeTruthy();
        expect(f.schema.type).toBe('object');
        expect(Object.keys(f.example).length).toBeGreaterThan(0);
      }
      expect(c.flows.map((f) => f.title)).toEqual([c.key === 'luan' ? '六安市企业职工退休“一件事一次办”' : '常州市退休“一件事”']);
    }
    expect(cities[0]!.forms.find((f) => f.key === 'luan-retirement-unit')!.title).toBe('企业职工退休“一件事一次办”申请表（2023版）（单位代办）');
  });
});
