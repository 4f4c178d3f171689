/**
 * One question group per step (care mode): the form's top-level sections become the steps of a
 * wizard over the same Formily form. Top-level notes and loose fields join the step before them
 * (or the first step). `FormStepContext` carries the top-level keys shown now; the decorators
 * hide the others (they stay mounted, so values, rules and computed values keep working).
 */
import { createContext } from 'react';
import { fieldType, isSection, orderedProperties, walkSchema, type FieldSchema, type FieldError } from '@lianban/runtime';

export interface FormStep {
  /** The section's key (its Formily address). */
  key: string;
  title: string;
  /** Top-level keys shown in this step: the section and the loose nodes attached to it. */
  members: string[];
  /** First segments of the data paths filled in this step (for picking its errors). */
  dataKeys: Set<string>;
}

const isSectionNode = (s: FieldSchema) => isSection(fieldType(s['x-field-type']));

/** The data keys a top-level node fills: a data field its own key, a section or note those of the fields inside it. */
function dataKeysOf(key: string, node: FieldSchema, into: Set<string>): void {
  walkSchema({ properties: { [key]: node } }, (n) => {
    if (!n.keyed) return undefined;
    into.add(n.key);
    return 'skip';
  });
}

/** The steps of a form: one per top-level section; none (no wizard) with fewer than two sections. */
export function formSteps(schema: FieldSchema): FormStep[] {
  const top = orderedProperties(schema.properties);
  if (top.filter(([, s]) => isSectionNode(s)).length < 2) return [];
  const steps: FormStep[] = [];
  const loose: [string, FieldSchema][] = [];
  for (const [key, node] of top) {
    if (isSectionNode(node)) {
      const step: FormStep = { key, title: String(node.title ?? key), members: [key], dataKeys: new Set() };
      dataKeysOf(key, node, step.dataKeys);
      // Loose nodes before the first section open the first step.
      for (const [k, n] of loose.splice(0)) { step.members.unshift(k); dataKeysOf(k, n, step.dataKeys); }
      steps.push(step);
    } else if (steps.length) {
      const last = steps[steps.length - 1]!;
      last.members.push(key);
      dataKeysOf(key, node, last.dataKeys);
    } else loose.push([key, node]);
  }
  return steps;
}

/** The index of the step that holds the data path, or -1. */
export function stepOfPath(steps: FormStep[], path: string): number {
  const first = path.split('.')[0]!;
  return steps.findIndex((s) => s.dataKeys.has(first));
}

/** The errors that belong to one step. */
export const errorsOfStep = (steps: FormStep[], index: number, errors: FieldError[]) =>
  errors.filter((e) => stepOfPath(steps, e.path) === index);

/** Top-level keys shown now, or null: the whole form. */
export const FormStepContext = createContext<ReadonlySet<string> | null>(null);

/** True when a node at this Formily address is hidden by the current step. */
export function hiddenByStep(shown: ReadonlySet<string> | null, address: { segments: (string | number)[] }): boolean {
  return !!shown && address.segments.length === 1 && !shown.has(String(address.segments[0]));
}
