/** The slice of bpmnlint's rule contract our rules use (bpmnlint/lib/types.d.ts). */

/** A bpmn-moddle element as bpmnlint passes it to `check`. */
export interface LintNode {
  $type: string;
  id?: string;
  name?: string;
  $parent?: LintNode;
  $instanceOf(type: string): boolean;
  get(name: string): unknown;
  [key: string]: unknown;
}

export interface Reporter {
  report(id: string | undefined, message: string, path?: string[]): void;
}

export interface Rule {
  check: ((node: LintNode, reporter: Reporter) => void) | { enter?: (node: LintNode, reporter: Reporter) => boolean | void; leave?: (node: LintNode, reporter: Reporter) => void };
  meta?: { documentation?: { url?: string } };
}

export type RuleFactory = (config?: Record<string, unknown>) => Rule;

/** `「名称」` for messages: the element's name, or its id when it has none. */
export function label(node: LintNode): string {
  return `「${(node.name ?? '').trim() || node.id}」`;
}
