/**
 * The few moddle element fields the compiler reads (bpmn-moddle ships no TypeScript types).
 */
export interface ModdleElement {
  $type: string;
  id: string;
  name?: string;
  $attrs?: Record<string, string>;
  get?(name: string): unknown;
  [key: string]: unknown;
}

/** Short BPMN type: `bpmn:UserTask` → `userTask`. */
export function shortType(t: string): string {
  const local = t.slice(t.indexOf(':') + 1);
  return local.charAt(0).toLowerCase() + local.slice(1);
}
