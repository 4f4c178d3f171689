/**
 * The FEEL condition of a sequence flow, with a picker built from the bound form's fields:
 * choose a field and one of its options (or type a value) and 插入 appends `field = "value"`
 * to the condition, joined with `and`. The condition is stored as a `bpmn:FormalExpression`
 * body, which the engine compiles with FEEL at publish time.
 */
import { TextAreaEntry, isTextAreaEntryEdited } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import type { Element } from 'bpmn-js/lib/model/Types';
import type Modeling from 'bpmn-js/lib/features/modeling/Modeling';
import type LianbanContext from '../../context/LianbanContext';
import type { FormField } from '../../context/LianbanContext';
import { bo, type ModdleObject } from '../lb';
import type { Entry } from './generic';

interface BpmnFactory { create(type: string, attrs?: Record<string, unknown>): ModdleObject }

/** The condition text of a flow ('' when it has none). */
export function conditionOf(element: Element): string {
  const expr = bo(element).conditionExpression as ModdleObject | undefined;
  return typeof expr?.body === 'string' ? expr.body : '';
}

/** `field = "value"` in FEEL, with the value's quotes and backslashes escaped. */
export function feelEquals(field: string, value: string): string {
  return `${field} = "${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The condition with `clause` appended (`and`-joined when there already is one). */
export function appendClause(condition: string, clause: string): string {
  return condition.trim() ? `${condition.trim()} and ${clause}` : clause;
}

function useSetCondition(element: Element): (text: string) => void {
  const modeling = useService<Modeling>('modeling');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  return (text: string) => {
    const conditionExpression = text.trim() ? bpmnFactory.create('bpmn:FormalExpression', { body: text }) : undefined;
    modeling.updateProperties(element, { conditionExpression });
  };
}

function ConditionText({ element, id }: { element: Element; id: string }) {
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  const setCondition = useSetCondition(element);
  return h(TextAreaEntry, {
    element, id, label: '条件（FEEL）', debounce, rows: 2, monospace: true,
    description: '例如：onlyChildCertificate = "是"；为空表示无条件',
    getValue: () => conditionOf(element),
    setValue: (v: string | undefined) => setCondition(v ?? ''),
  });
}

function ConditionPicker({ element, id }: { element: Element; id: string }) {
  const context = useService<LianbanContext>('lianbanContext');
  const setCondition = useSetCondition(element);
  const fields: FormField[] = context.fields;
  const [fieldKey, setFieldKey] = useState(fields[0]?.key ?? '');
  const [value, setValue] = useState('');
  const field = fields.find((f) => f.key === fieldKey);
  const options = field?.options ?? [];
  const chosen = options.length && !options.some((o) => o.value === value) ? options[0].value : value;
  if (!fields.length) return h('div', { class: 'bio-properties-panel-entry lb-picker-empty' }, '尚未绑定表单字段，可直接输入条件');
  const insert = () => { if (field) setCondition(appendClause(conditionOf(element), feelEquals(field.key, chosen))); };
  const onChange = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLSelectElement).value);
  return h('div', { class: 'bio-properties-panel-entry lb-condition-picker', 'data-entry-id': id },
    h('label', { class: 'bio-properties-panel-label' }, '按表单字段插入条件'),
    h('select', { class: 'bio-properties-panel-input lb-picker-field', 'aria-label': '表单字段', value: fieldKey, onChange: onChange(setFieldKey) },
      fields.map((f) => h('option', { value: f.key }, `${f.label}（${f.key}）`))),
    h('div', { class: 'lb-picker-row' },
      options.length
        ? h('select', { class: 'bio-properties-panel-input', 'aria-label': '字段取值', value: chosen, onChange: onChange(setValue) },
          options.map((o) => h('option', { value: o.value }, o.label)))
        : h('input', { class: 'bio-properties-panel-input', 'aria-label': '字段取值', value, placeholder: '取值', onInput: onChange(setValue) }),
      h('button', { type: 'button', class: 'lb-picker-insert', onClick: insert }, '插入')));
}

/** Entries of the 条件 group of a sequence flow. */
export function conditionEntries(element: Element): Entry[] {
  return [
    { id: 'lb-condition', element, component: ConditionText as never, isEdited: isTextAreaEntryEdited },
    { id: 'lb-condition-picker', element, component: ConditionPicker as never, isEdited: () => false },
  ];
}
