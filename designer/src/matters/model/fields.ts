/**
 * Form fields as the flow modeler's condition picker sees them: every data field outside rows,
 * with the options of choice fields. Used by the matter editor and the flow page.
 *
 *   formFieldsOf([schemaA, schemaB])   // [{ key: 'housingFundWithdrawal', label: '退休职工住房公积金提取 · 需要办理' }, …]
 */
import { walkSchema, type FieldSchema } from '@lianban/runtime';
import type { FormField } from '../../modeler';

export function formFieldsOf(schemas: FieldSchema[]): FormField[] {
  const out = new Map<string, FormField>();
  for (const schema of schemas) {
    for (const node of walkSchema(schema)) {
      if (!node.keyed || node.rows || out.has(node.path)) continue;
      // Opt-ins are all titled 需要办理: name them after their item's section.
      const section = node.section;
      const title = node.schema.title ?? node.key;
      const label = section && (title === '需要办理' || node.schema['x-linked-item']) ? `${section.schema.title ?? section.key} · ${title}` : title;
      // A yes/no field is picked as true/false, not from a list.
      const options = node.config?.dataType === 'boolean'
        ? undefined
        : node.schema.enum?.map((o) => ({ value: String(o.value), label: o.label }));
      out.set(node.path, { key: node.path, label, ...(options ? { options } : {}) });
    }
  }
  return [...out.values()];
}
