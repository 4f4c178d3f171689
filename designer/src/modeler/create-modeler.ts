/**
 * Builds the Lianban flow modeler — bpmn-js Modeler + properties panel with our `lb:` provider,
 * Chinese translation, bpmnlint with our rules, token simulation — and wraps it in a small API
 * that the modeler page, the future matter editor and the publish flow use:
 *
 *   const api = await createLianbanModeler({ canvas, panel, departments, fields, xml });
 *   await api.setXML(xml);  const xml = await api.getXML();
 *   api.setDepartments(list); api.setFields(fields);
 *   const issues = await api.lint();          // [{ id, message, category: 'error'|'warn' }]
 *   const off = api.onChange(() => …);       // any modelling command (edit, undo, redo)
 *   api.destroy();
 */
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import { lianbanModdle } from '@lianban/runtime';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/assets/properties-panel.css';
import contextModule from './context';
import type LianbanContext from './context/LianbanContext';
import type { Department, FormField } from './context/LianbanContext';
import diPreservationModule from './di-preservation';
import lintModule from './lint';
import propertiesModule, { LIANBAN_GROUPS } from './properties';
import simulationModule from './simulation';
import translateModule, { untranslated } from './translate';
import './modeler.css';

/** One lint finding, flattened from bpmnlint's per-rule report. */
export interface LintIssue {
  id: string;
  message: string;
  category: 'error' | 'warn' | 'info' | string;
  rule: string;
}

/** What the matter editor and the publish flow use; see the header for an example. */
export interface LianbanModelerApi {
  /** The diagram as formatted BPMN 2.0 XML. */
  getXML(): Promise<string>;
  /** Replaces the diagram; resolves with import warnings, rejects when the XML cannot be read. */
  setXML(xml: string): Promise<{ warnings: string[] }>;
  setDepartments(departments: Department[]): void;
  setFields(fields: FormField[]): void;
  /** Lints the current diagram with our rules (independent of the overlay toggle). */
  lint(): Promise<LintIssue[]>;
  /** Shows or hides lint overlays; returns the new state. */
  toggleLinting(active?: boolean): boolean;
  /** Switches token simulation on or off; returns the new state. */
  toggleSimulation(active?: boolean): boolean;
  /** Calls `listener` after every modelling command; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** English UI strings that had no Chinese translation so far (should stay empty). */
  untranslated(): string[];
  destroy(): void;
  /** The underlying bpmn-js Modeler, for integrations that need a service. */
  readonly modeler: Modeler;
}

export interface CreateModelerOptions {
  canvas: HTMLElement;
  panel: HTMLElement;
  departments?: Department[];
  fields?: FormField[];
  xml: string;
}

interface Linting {
  lint(): Promise<Record<string, Array<{ id: string; message: string; category: string }>>>;
  toggle(active?: boolean): boolean;
}
interface ToggleMode { _active: boolean; toggleMode(active?: boolean): void }

/** Creates the modeler in `canvas`/`panel` and imports `xml`. */
export async function createLianbanModeler(options: CreateModelerOptions): Promise<LianbanModelerApi> {
  const modeler = new Modeler({
    container: options.canvas,
    propertiesPanel: {
      parent: options.panel,
      // Our groups start open: they are what administrators come to the panel for.
      layout: { open: true, groups: Object.fromEntries(LIANBAN_GROUPS.map((id) => [id, { open: true }])) },
    },
    moddleExtensions: { lb: lianbanModdle as unknown as object },
    additionalModules: [
      translateModule, BpmnPropertiesPanelModule, BpmnPropertiesProviderModule,
      contextModule, propertiesModule, lintModule, simulationModule, diPreservationModule,
    ],
    lianban: { departments: options.departments ?? [], fields: options.fields ?? [] },
    linting: { active: true },
  } as ConstructorParameters<typeof Modeler>[0]);

  const context = modeler.get<LianbanContext>('lianbanContext');
  const setXML = async (xml: string) => {
    const { warnings } = await modeler.importXML(xml);
    // Typed as strings, but bpmn-js hands out Error-like objects.
    return { warnings: (warnings as unknown[]).map((w) => (typeof w === 'string' ? w : String((w as Error).message))) };
  };
  await setXML(options.xml);

  return {
    modeler,
    setXML,
    async getXML() {
      const { xml } = await modeler.saveXML({ format: true });
      return xml!;
    },
    setDepartments: (d) => context.setDepartments(d),
    setFields: (f) => context.setFields(f),
    async lint() {
      const byRule = await modeler.get<Linting>('linting').lint();
      return Object.entries(byRule).flatMap(([rule, reports]) => reports.map((r) => ({ id: r.id, message: r.message, category: r.category, rule })));
    },
    toggleLinting: (active) => modeler.get<Linting>('linting').toggle(active),
    toggleSimulation(active) {
      const toggle = modeler.get<ToggleMode>('toggleMode');
      toggle.toggleMode(active);
      return toggle._active;
    },
    onChange(listener) {
      const eventBus = modeler.get<{ on(e: string, f: () => void): void; off(e: string, f: () => void): void }>('eventBus');
      eventBus.on('commandStack.changed', listener);
      return () => eventBus.off('commandStack.changed', listener);
    },
    untranslated,
    destroy: () => modeler.destroy(),
  };
}
