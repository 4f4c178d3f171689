// Minimal declarations for the bpmn.io add-ons that ship JavaScript without types. Only what
// the modeler uses is declared; services are reached through `modeler.get(name)`.

declare module 'bpmn-js-properties-panel' {
  /** A diagram-js module definition. */
  type Module = Record<string, unknown>;
  export const BpmnPropertiesPanelModule: Module;
  export const BpmnPropertiesProviderModule: Module;
  /** Returns a diagram-js service from inside a properties-panel (preact) component. */
  export function useService<T = unknown>(name: string, strict?: boolean): T;
}

declare module '@bpmn-io/properties-panel' {
  type Component = (props: Record<string, unknown>) => unknown;
  export const TextFieldEntry: Component;
  export const TextAreaEntry: Component;
  export const SelectEntry: Component;
  export const ToggleSwitchEntry: Component;
  export const CheckboxEntry: Component;
  export function isTextFieldEntryEdited(node: unknown): boolean;
  export function isTextAreaEntryEdited(node: unknown): boolean;
  export function isSelectEntryEdited(node: unknown): boolean;
  export function isToggleSwitchEntryEdited(node: unknown): boolean;
}

declare module '@bpmn-io/properties-panel/preact' {
  export function h(type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]): unknown;
}

declare module '@bpmn-io/properties-panel/preact/hooks' {
  export function useState<T>(initial: T): [T, (next: T) => void];
}

declare module 'bpmn-js-bpmnlint' {
  const lintModule: Record<string, unknown>;
  export default lintModule;
}

declare module 'bpmn-js-token-simulation' {
  const tokenSimulationModule: Record<string, unknown>;
  export default tokenSimulationModule;
}

declare module 'bpmnlint' {
  export class Linter {
    constructor(options: { config: unknown; resolver: unknown });
    lint(definitions: unknown): Promise<Record<string, Array<{ id: string; message: string; category: string }>>>;
  }
}

declare module 'bpmnlint/rules/*' {
  const factory: (config?: unknown) => { check: unknown; meta?: unknown };
  export default factory;
}
