/**
 * The BPMN subset the engine runs, as data for tools that check a diagram before it is
 * published (the designer's linter, lianban/supported-elements). Derived from the engine's own
 * tables — the run handlers (run/handlers/index.ts) and the deploy compilers and event kinds
 * (deploy/elements.ts) — so the linter cannot drift from what deploy accepts.
 *
 *   SUPPORTED_BPMN_ELEMENTS['bpmn:UserTask']     // null: supported, not an event
 *   SUPPORTED_BPMN_ELEMENTS['bpmn:StartEvent']   // ['none', 'bpmn:MessageEventDefinition']
 *   'bpmn:ScriptTask' in SUPPORTED_BPMN_ELEMENTS // false
 *
 * What this table cannot say, deploy still checks per element: event sub-processes, loops
 * other than parallel multi-instance on user tasks, compensation, message starts in sub-processes.
 */
import { ELEMENT_COMPILERS, EVENT_KINDS, INERT_ELEMENTS, KIND_BY_DEFINITION } from './deploy/elements';
import { HANDLERS } from './run/handlers/index';
import type { ElementType, EventKind } from './types';

/** Element types the engine executes (short form, e.g. `userTask`): one handler each. */
export const EXECUTABLE_ELEMENT_TYPES: readonly ElementType[] = Object.keys(HANDLERS) as ElementType[];

/** `userTask` → `bpmn:UserTask`. */
const bpmnType = (t: string) => `bpmn:${t.charAt(0).toUpperCase()}${t.slice(1)}`;

const DEFINITION_OF_KIND = Object.fromEntries(Object.entries(KIND_BY_DEFINITION).map(([def, kind]) => [kind, def])) as Partial<Record<EventKind, string>>;

function supportedTable(): Record<string, readonly string[] | null> {
  const table: Record<string, readonly string[] | null> = {};
  for (const type of EXECUTABLE_ELEMENT_TYPES) {
    // Runnable only when deploy also compiles it.
    if (!ELEMENT_COMPILERS[type]) continue;
    const kinds = (EVENT_KINDS as Partial<Record<ElementType, readonly EventKind[]>>)[type];
    table[bpmnType(type)] = kinds ? kinds.map((k) => (k === 'none' ? 'none' : DEFINITION_OF_KIND[k]!)) : null;
  }
  table['bpmn:SequenceFlow'] = null;
  for (const inert of INERT_ELEMENTS) table[inert] = null;
  return table;
}

/**
 * BPMN flow element type → the event definition types it may carry (`'none'`: no definition)
 * for events, null for everything else the engine accepts (activities, gateways, sequence
 * flows, data objects). Types not in the table are refused at deploy.
 */
export const SUPPORTED_BPMN_ELEMENTS: Readonly<Record<string, readonly string[] | null>> = Object.freeze(supportedTable());
