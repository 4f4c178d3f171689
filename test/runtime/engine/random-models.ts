/**
 * Random block-structured BPMN models for property tests: nested sequence / parallel /
 * exclusive / inclusive blocks, each join followed by a marker user task (`M_<join>`), so a join
 * firing twice shows up as a marker completed twice. Conditions test boolean variables v0…v3.
 */
import fc from 'fast-check';

export type Block =
  | { t: 'task'; user: boolean }
  | { t: 'seq'; items: Block[] }
  | { t: 'par' | 'xor' | 'or'; branches: Block[]; conds: number[] };

export const VARS = 4;

/** Random blocks whose gateways are of the given kinds. */
export function blocksOf(kinds: ('par' | 'xor' | 'or')[]): fc.Arbitrary<Block> {
  return fc.letrec<{ block: Block }>((tie) => ({
    block: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ t: fc.constant('task' as const), user: fc.boolean() }),
      fc.record({ t: fc.constant('seq' as const), items: fc.array(tie('block'), { minLength: 1, maxLength: 3 }) }),
      fc.record({
        t: fc.constantFrom(...kinds),
        branches: fc.array(tie('block'), { minLength: 1, maxLength: 3 }),
        conds: fc.array(fc.integer({ min: 0, max: VARS - 1 }), { minLength: 3, maxLength: 3 }),
      }),
    ),
  })).block;
}

export const blockArb = blocksOf(['par', 'xor', 'or']);

/** A generated model: its BPMN, and which user tasks BPMN semantics says it runs for given variables. */
export interface Model {
  xml: string;
  /** The user tasks a correct engine completes for `vars`, sorted (a block-structured model is confluent). */
  userTasks(vars: Record<string, boolean>): string[];
}

type Runs = (vars: Record<string, boolean>) => string[];

/**
 * The model of a block. `condition(v)` writes the test of variable `v` in the target engine's
 * syntax (FEEL `v0 = true` for ours). Exclusive: the first branch whose condition holds, else
 * the last (the default flow); inclusive: every branch whose condition holds, else the default
 * flow straight to the join; each join then runs its marker task once.
 */
export function modelOf(root: Block, condition: (v: string) => string = (v) => `${v} = true`): Model {
  let n = 0;
  const nodes: string[] = [];
  const flows: string[] = [];
  const flow = (from: string, to: string, cond?: string) => {
    const id = `f${n++}`;
    flows.push(cond
      ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${cond}</bpmn:conditionExpression></bpmn:sequenceFlow>`
      : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`);
    return id;
  };
  const emit = (b: Block): [string, string, Runs] => {
    if (b.t === 'task') {
      const id = `T${n++}`;
      nodes.push(b.user ? `<bpmn:userTask id="${id}" />` : `<bpmn:task id="${id}" />`);
      return [id, id, () => (b.user ? [id] : [])];
    }
    if (b.t === 'seq') {
      const parts = b.items.map(emit);
      for (let i = 1; i < parts.length; i++) flow(parts[i - 1]![1], parts[i]![0]);
      return [parts[0]![0], parts.at(-1)![1], (vars) => parts.flatMap((p) => p[2](vars))];
    }
    const kind = { par: 'parallelGateway', xor: 'exclusiveGateway', or: 'inclusiveGateway' }[b.t];
    const split = `G${n++}`;
    const join = `J${n++}`;
    const marker = `M_${join}`;
    const variable = (i: number) => `v${b.conds[i % 3]}`;
    const cond = (i: number) => (b.t === 'par' ? undefined : condition(variable(i)));
    // xor: the last branch is the default; or: a default flow straight to the join.
    let dflt: string | undefined;
    const branches = b.branches.map((br, i) => {
      const [entry, exit, runs] = emit(br);
      const isDefault = b.t === 'xor' && i === b.branches.length - 1;
      const id = flow(split, entry, isDefault ? undefined : cond(i));
      if (isDefault) dflt = id;
      flow(exit, join);
      return runs;
    });
    if (b.t === 'or') dflt = flow(split, join);
    nodes.push(`<bpmn:${kind} id="${split}"${dflt ? ` default="${dflt}"` : ''} />`, `<bpmn:${kind} id="${join}" />`, `<bpmn:userTask id="${marker}" />`);
    flow(join, marker);
    const taken = (vars: Record<string, boolean>): Runs[] => {
      if (b.t === 'par') return branches;
      const holds = (i: number) => vars[variable(i)] === true;
      if (b.t === 'or') return branches.filter((_r, i) => holds(i));
      const first = branches.findIndex((_r, i) => i < branches.length - 1 && holds(i));
      return [branches[first === -1 ? branches.length - 1 : first]!];
    };
    return [split, marker, (vars) => [...taken(vars).flatMap((r) => r(vars)), marker]];
  };
  const [entry, exit, runs] = emit(root);
  flow('Start', entry);
  flow(exit, 'End');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
<bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="Start" /><bpmn:endEvent id="End" />${nodes.join('')}${flows.join('')}</bpmn:process>
</bpmn:definitions>`;
  return { xml, userTasks: (vars) => runs(vars).sort() };
}

/** BPMN for a block (see `modelOf`). */
export function toXml(root: Block, condition?: (v: string) => string): string {
  return modelOf(root, condition).xml;
}
