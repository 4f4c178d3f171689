/**
 * Compiles a form schema for Formily in the browser. Our rules (`x-visible-when`,
 * `x-required-when`, `x-compute`) become one reaction per field: `'x-reactions': '{{$lianbanRules}}'`,
 * a bare scope name that the renderer's restricted compiler resolves (it never runs
 * `new Function`; see web/forms/safe-compiler.ts). The reaction evaluates the same condition
 * data and compute registry as the server.
 *
 *   const { schema: browserSchema, scope } = toFormilySchema(schema);
 *   <SchemaField schema={browserSchema} scope={scope} />
 */
import { DEFAULT_RETIREMENT_CONFIG, type RetirementConfig } from '../rules/index';
import { runCompute } from './compute';
import { evaluateCondition, isEmpty } from './conditions';
import { messageFor } from './messages';
import { fieldType } from './field-types/index';
import type { Condition, ComputeRule, FieldSchema } from './types';

/** The scope name of the rule reaction in compiled schemas. */
export const RULES_SCOPE_NAME = '$lianbanRules';

/** The part of a Formily field the reaction touches (kept structural so this stays React-free). */
export interface RuleTarget {
  path: { toString(): string };
  form: { getValuesIn(path: string): unknown };
  visible: boolean;
  required: boolean;
  value: unknown;
  /** The renderer's light decorator reads `required` from its props. */
  setDecoratorProps?(props: Record<string, unknown>): void;
}

interface FieldRules {
  visibleWhen?: Condition;
  requiredWhen?: Condition;
  staticRequired: boolean;
  compute?: ComputeRule;
}

export interface FormilyCompiled {
  schema: FieldSchema;
  scope: Record<string, unknown>;
  /** Rules by data path (rows columns as `rows.*.col`). */
  rules: Map<string, FieldRules>;
}

/** Decorator used for a field of each kind; sections and help notes render themselves. */
const decoratorFor = (type: string, inRows: boolean) => (inRows ? 'RowCell' : ['section', 'help'].includes(type) ? undefined : 'FieldCell');

/** Compiles rules to Formily reactions and fills in components and layout per field type. */
export function toFormilySchema(schema: FieldSchema, options: { retirementConfig?: RetirementConfig } = {}): FormilyCompiled {
  const config = options.retirementConfig ?? DEFAULT_RETIREMENT_CONFIG;
  const rules = new Map<string, FieldRules>();
  /** `path`: the node's own Formily path; `base`: the data path its children extend. */
  const compileNode = (node: FieldSchema, path: string, base: string, inRows: boolean): FieldSchema => {
    const t = fieldType(node['x-field-type']);
    const out: FieldSchema = { ...node };
    if (t) {
      out.type = t.dataType;
      out['x-component'] ??= t.component;
      const decorator = decoratorFor(t.type, inRows);
      if (decorator) {
        out['x-decorator'] ??= decorator;
        out['x-decorator-props'] = { span: node['x-span'] ?? t.span, description: node.description, required: !!node.required, ...node['x-decorator-props'] };
      }
      const props = node['x-component-props'];
      // Placeholders in Chinese whatever antd's locale: the form's own text is Chinese.
      if (t.type === 'yearMonth') out['x-component-props'] = { picker: 'month', format: 'YYYY-MM', placeholder: '请选择年月', ...props };
      if (t.type === 'date') out['x-component-props'] = { format: 'YYYY-MM-DD', placeholder: '请选择日期', ...props };
      if (t.type === 'select') out['x-component-props'] = { placeholder: '请选择', allowClear: true, ...props };
      if (t.type === 'number') out['x-component-props'] = { placeholder: '请输入数字', ...props };
      if (t.type === 'region') out['x-component-props'] = { levels: node['x-region-levels'] ?? 3, ...props };
      if (t.type === 'upload') out['x-component-props'] = { materials: node['x-materials'] ?? [], ...props };
      if (t.type === 'help' || t.type === 'section') out['x-component-props'] = { description: node.description, ...props };
    }
    if (t?.keyed && !node['x-compute'] && t.container !== 'items') {
      // Immediate feedback with the same check the server runs, once the applicant leaves the field.
      const check = t.check;
      const sanitize = t.sanitize;
      out['x-validator'] = {
        triggerType: 'onBlur',
        validator: (value: unknown) => {
          const v = sanitize ? sanitize(value, node) : value;
          if (isEmpty(v)) return '';
          const problem = check(v, node);
          return problem ? messageFor(problem.code, problem.n) : '';
        },
      };
    }
    if (node['x-compute']) {
      // Shown, never typed; the server recomputes it anyway.
      out['x-component'] = 'ComputedText';
      out['x-pattern'] = 'readPretty';
    }
    if (node['x-visible-when'] || node['x-required-when'] || node['x-compute']) {
      rules.set(path, { visibleWhen: node['x-visible-when'], requiredWhen: node['x-required-when'], staticRequired: !!node.required, compute: node['x-compute'] });
      out['x-reactions'] = `{{${RULES_SCOPE_NAME}}}`;
    }
    if (node.properties) {
      out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, child]) => {
        const keyed = fieldType(child['x-field-type'])?.keyed ?? child.type !== 'void';
        const own = base ? `${base}.${k}` : k;
        return [k, compileNode(child, own, keyed ? own : base, inRows)];
      }));
    }
    if (node.items?.properties) {
      out.items = {
        ...node.items,
        properties: Object.fromEntries(Object.entries(node.items.properties).map(([k, c]) => [k, compileNode(c, `${path}.*.${k}`, `${path}.*.${k}`, true)])),
      };
    }
    return out;
  };
  const compiled = compileNode(schema, '', '', false);
  const reaction = (field: RuleTarget) => {
    const key = field.path.toString().replace(/\.\d+(?=\.|$)/g, '.*');
    const r = rules.get(key);
    if (!r) return;
    const get = (p: string) => field.form.getValuesIn(p);
    if (r.visibleWhen) field.visible = evaluateCondition(r.visibleWhen, get);
    if (r.requiredWhen) {
      const required = r.staticRequired || evaluateCondition(r.requiredWhen, get);
      field.required = required;
      field.setDecoratorProps?.({ required });
    }
    if (r.compute) {
      const args: Record<string, unknown> = {};
      for (const [param, arg] of Object.entries(r.compute.from)) args[param] = typeof arg === 'string' ? get(arg) : arg.value;
      field.value = runCompute(r.compute.compute, args, config);
    }
  };
  return { schema: compiled, scope: { [RULES_SCOPE_NAME]: reaction }, rules };
}
