/**
 * Generic entries over one `lb:` attribute — text, select and toggle — so each group below is a
 * short list of `{ attr, label }` rows rather than a component per attribute.
 *
 *   lbText(element, { attr: 'formKey', label: '办理表单' })   // → an entry for Group.entries
 */
import {
  SelectEntry, TextFieldEntry, ToggleSwitchEntry,
  isSelectEntryEdited, isTextFieldEntryEdited, isToggleSwitchEntryEdited,
} from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import type { Element } from 'bpmn-js/lib/model/Types';
import type Modeling from 'bpmn-js/lib/features/modeling/Modeling';
import { bo, getLb, setLb, type ModdleObject } from '../lb';

/** One row of a group as the properties panel expects it. */
export interface Entry {
  id: string;
  element: Element;
  component: (props: Record<string, unknown>) => unknown;
  isEdited: (node: unknown) => boolean;
  [key: string]: unknown;
}

export interface LbFieldOptions {
  attr: string;
  label: string;
  description?: string;
  /** Returns a Chinese error message, or undefined when the value is fine. */
  validate?: (value: string) => string | undefined;
  /** The moddle object holding the attribute when it is not the business object (e.g. a loop). */
  target?: (element: Element) => ModdleObject;
  options?: (element: Element) => Array<{ value: string; label: string }>;
  /** For toggles: the attribute value meaning "on", and the text beside the switch. */
  onValue?: string;
  switcherLabel?: string;
}

const targetOf = (element: Element, o: LbFieldOptions) => (o.target ? o.target(element) : bo(element));

interface FieldProps { element: Element; id: string; field: LbFieldOptions }

function LbTextField({ element, id, field }: FieldProps) {
  const modeling = useService<Modeling>('modeling');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  return h(TextFieldEntry, {
    element, id, label: field.label, description: field.description, debounce,
    getValue: () => getLb(targetOf(element, field), field.attr),
    setValue: (v: string | undefined) => setLb(modeling, element, field.attr, v ?? '', targetOf(element, field)),
    validate: (v: string | undefined) => (v && field.validate ? field.validate(v) : undefined),
  });
}

function LbSelectField({ element, id, field }: FieldProps) {
  const modeling = useService<Modeling>('modeling');
  return h(SelectEntry, {
    element, id, label: field.label, description: field.description,
    getValue: () => getLb(targetOf(element, field), field.attr),
    setValue: (v: string | undefined) => setLb(modeling, element, field.attr, v ?? '', targetOf(element, field)),
    getOptions: () => field.options?.(element) ?? [],
  });
}

function LbToggleField({ element, id, field }: FieldProps) {
  const modeling = useService<Modeling>('modeling');
  return h(ToggleSwitchEntry, {
    element, id, label: field.label, description: field.description, switcherLabel: field.switcherLabel,
    getValue: () => getLb(targetOf(element, field), field.attr) === field.onValue,
    setValue: (on: boolean) => setLb(modeling, element, field.attr, on ? field.onValue! : '', targetOf(element, field)),
  });
}

const entryId = (field: LbFieldOptions) => `lb-${field.attr}`;

/** A text entry for `lb:<attr>`. */
export function lbText(element: Element, field: LbFieldOptions): Entry {
  return { id: entryId(field), element, field, component: LbTextField as never, isEdited: isTextFieldEntryEdited };
}

/** A select entry for `lb:<attr>`; include an empty option in `field.options` to allow clearing. */
export function lbSelect(element: Element, field: LbFieldOptions): Entry {
  return { id: entryId(field), element, field, component: LbSelectField as never, isEdited: isSelectEntryEdited };
}

/** A toggle writing `field.onValue` when on and removing the attribute when off. */
export function lbToggle(element: Element, field: LbFieldOptions): Entry {
  return { id: entryId(field), element, field, component: LbToggleField as never, isEdited: isToggleSwitchEntryEdited };
}
