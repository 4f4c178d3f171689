/**
 * City data the modeler needs while editing: the department list (candidate groups) and the
 * fields of the bound form (for condition pickers). Passed in as `config.lianban` and replaced
 * later with `setDepartments` / `setFields`; both fire `lianban.contextChanged` so the
 * properties panel and the linter pick up the new lists.
 *
 *   const ctx = modeler.get<LianbanContext>('lianbanContext');
 *   ctx.setDepartments([{ key: 'hrss', name: '人社局' }]);
 */
import type EventBus from 'diagram-js/lib/core/EventBus';

/** One department a task can be routed to (a candidate group). */
export interface Department {
  key: string;
  name: string;
}

/** One field of the bound form, with the options of a select/radio field. */
export interface FormField {
  key: string;
  label: string;
  options?: Array<{ value: string; label: string }>;
}

export interface LianbanConfig {
  departments?: Department[];
  fields?: FormField[];
}

export const CONTEXT_CHANGED = 'lianban.contextChanged';

export default class LianbanContext {
  static $inject = ['config.lianban', 'eventBus'];

  departments: Department[];
  fields: FormField[];
  private eventBus: EventBus;

  constructor(config: LianbanConfig | undefined, eventBus: EventBus) {
    this.departments = config?.departments ?? [];
    this.fields = config?.fields ?? [];
    this.eventBus = eventBus;
  }

  setDepartments(departments: Department[]): void {
    this.departments = departments;
    this.changed();
  }

  setFields(fields: FormField[]): void {
    this.fields = fields;
    this.changed();
  }

  /** The department's display name, or the key itself when the city has no such department. */
  departmentName(key: string): string {
    return this.departments.find((d) => d.key === key)?.name ?? key;
  }

  private changed(): void {
    this.eventBus.fire(CONTEXT_CHANGED, { context: this });
    // The properties panel re-renders its groups on this event.
    this.eventBus.fire('propertiesPanel.providersChanged');
  }
}
