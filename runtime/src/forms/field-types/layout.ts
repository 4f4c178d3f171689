/** Layout nodes without data: section headings (which group child fields) and help notes (说明). */
import { defineField } from './define';
import type { ComponentProp } from './editor';

/** Sections and notes show their description themselves (they have no field cell). */
const DESCRIPTION: Record<string, ComponentProp> = { description: { doc: '说明文字（来自 description）', default: (f) => f.description } };

defineField({
  type: 'section', label: '分组标题', group: 'layout', keyed: false, container: 'properties', dataType: 'void', component: 'Section',
  emptyValue: undefined, span: 4,
  create: (o) => ({ type: 'void', title: '分组', 'x-field-type': 'section', properties: {}, ...o }),
  jsonSchema: () => ({}),
  check: () => null,
  componentProps: DESCRIPTION,
});

defineField({
  type: 'help', label: '说明文字', group: 'layout', keyed: false, dataType: 'void', component: 'HelpText',
  emptyValue: undefined, span: 4,
  create: (o) => ({ type: 'void', title: '说明', description: '', 'x-field-type': 'help', ...o }),
  jsonSchema: () => ({}),
  check: () => null,
  componentProps: DESCRIPTION,
});
