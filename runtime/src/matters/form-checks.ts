/**
 * The form checker at publish: every convention problem of a matter's form (`checkFormSchema`:
 * `{{ }}` expressions, patterns RE2 cannot run, unknown computations, undocumented component
 * props, …) as a publish problem naming the form and the field.
 *
 *   formSchemaProblems('retirement', schema)   // [{field: 'forms.retirement.applicant.idNumber.pattern', message: '表单「retirement」字段 applicant.idNumber.pattern：…'}]
 */
import { checkFormSchema } from '../forms/check-schema';
import type { FieldSchema } from '../forms/types';
import type { PublishProblem } from './types';

/** `properties.a.items.properties.b.pattern` → `a.b.pattern` (the field as administrators name it). */
const fieldPath = (schemaPath: string) => schemaPath.replace(/(^|\.)(?:items\.)?properties\./g, '$1').replace(/^\./, '');

export function formSchemaProblems(formKey: string, schema: unknown): PublishProblem[] {
  return checkFormSchema(schema as FieldSchema).map((p) => {
    const path = fieldPath(p.path);
    return { field: path ? `forms.${formKey}.${path}` : `forms.${formKey}`, message: `表单「${formKey}」${path ? `字段 ${path}` : ''}：${p.message}` };
  });
}
