/**
 * What the property tests of office moves and migrations share: random models whose user tasks
 * each handle a linked item, and the invariants every flow state must keep.
 */
import { expect } from 'vitest';
import type { Definition, StepResult } from '@lianban/runtime';

const LB = 'xmlns:lb="http://lianban.gov.cn/schema/bpmn"';

/** Gives every user task a linked item `i_<id>` (so items can be checked against tokens). */
export function withItems(xml: string): string {
  return xml
    .replace('<bpmn:definitions ', `<bpmn:definitions ${LB} `)
    .replace(/<bpmn:userTask id="([^"]+)" \/>/g, '<bpmn:userTask id="$1" lb:linkedItem="i_$1" />');
}

/** The invariants every state must keep. */
export function checkConsistent(def: Definition, r: StepResult): void {
  const { state } = r;
  // every wait belongs to a live token, every live non-join token in a live scope
  const ids = new Set(state.tokens.map((t) => t.id));
  for (const w of state.waits) expect(ids.has(w.token)).toBe(true);
  const scopes = new Set(state.scopes.map((s) => s.id));
  for (const t of state.tokens) expect(scopes.has(t.scope)).toBe(true);
  // every token and wait is on an element of the definition
  for (const t of state.tokens) expect(def.elements[t.element], `element ${t.element}`).toBeDefined();
  for (const w of state.waits) expect(def.elements[w.element], `element ${w.element}`).toBeDefined();
  // no duplicated tokens: in an acyclic block model one token per element, join tokens one per flow
  const keys = state.tokens.map((t) => `${t.scope}/${t.element}/${t.resting === 'join' ? t.via : ''}`);
  expect(new Set(keys).size).toBe(keys.length);
  // a join token arrived by one of the join's incoming flows
  for (const t of state.tokens) if (t.resting === 'join') expect(def.elements[t.element]!.incoming).toContain(t.via);
  // a token waiting on a user task has its task open, and its item in progress
  for (const t of state.tokens) {
    if (t.resting === 'wait') {
      expect(state.waits.some((w) => w.token === t.id)).toBe(true);
      const key = def.elements[t.element]!.lb.linkedItem;
      if (key) expect(state.items[key]).toBe('in-progress');
    }
  }
  // an item in progress has its task waiting
  for (const [key, status] of Object.entries(state.items)) {
    if (status === 'in-progress') expect(state.tokens.some((t) => t.resting === 'wait' && def.elements[t.element]!.lb.linkedItem === key)).toBe(true);
  }
  expect(state.incidents).toEqual([]);
}
