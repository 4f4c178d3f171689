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
import { componentPropsOf, type FieldTypeConfig } from './field-types/index';
import { walkSchema, type SchemaNode } from './walk';
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

/** Decorator of a node: rows columns sit in table cells; sections and help notes (no data) render themselves. */
const decoratorFor = (t: FieldTypeConfig, inRows: boolean) => (inRows ? 'RowCell' : t.keyed ? 'FieldCell' : undefined);

/** One node compiled on its own (children are attached by `toFormilySchema`). */
function compileNode(node: FieldSchema, t: FieldTypeConfig | undefined, inRows: boolean): FieldSchema {
  const out: FieldSchema = { ...node };
  if (t) {
    out.type = t.dataType;
    out['x-component'] ??= t.component;
    const decorator = decoratorFor(t, inRows);
    if (decorator) {
      out['x-decorator'] ??= decorator;
      out['x-decorator-props'] = { span: node['x-span'] ?? t.span, description: node.description, required: !!node.required, ...node['x-decorator-props'] };
    }
    // Only the props the type documents (an unknown one could blank the page).
    const props = componentPropsOf(t, node);
    if (props) out['x-component-props'] = props;
    else delete out['x-component-props'];
  }
  if (!t) delete out['x-component-props'];
  // Formily would compile `pattern` with the browser's backtracking RegExp; the x-validator
  // below checks it on RE2 (compilePattern) instead.
  delete out.pattern;
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
  return out;
}

/** Compiles rules to Formily reactions and fills in components and layout per field type. */
export function toFormilySchema(schema: FieldSchema, options: { retirementConfig?: RetirementConfig } = {}): FormilyCompiled {
  const config = options.retirementConfig ?? DEFAULT_RETIREMENT_CONFIG;
  const rules = new Map<string, FieldRules>();
  // Children are re-attached under their compiled parents; copying the maps first keeps the key order.
  const withChildren = (out: FieldSchema): FieldSchema => {
    if (out.properties) out.properties = { ...out.properties };
    if (out.items?.properties) out.items = { ...out.items, properties: { ...out.items.properties } };
    return out;
  };
  const compiled = withChildren({ ...schema });
  const outs = new Map<SchemaNode, FieldSchema>();
  for (const n of walkSchema(schema)) {
    const node = n.schema;
    const out = withChildren(compileNode(node, n.config, n.rows !== undefined));
    outs.set(n, out);
    const parent = n.parent ? outs.get(n.parent)! : compiled;
    (n.slot === 'items' ? parent.items!.properties! : parent.properties!)[n.key] = out;
    if (node['x-visible-when'] || node['x-required-when'] || node['x-compute']) {
      // Keyed by the Formily address, sections included (rows columns as `rows.*.col`).
      rules.set(n.path, { visibleWhen: node['x-visible-when'], requiredWhen: node['x-required-when'], staticRequired: !!node.required, compute: node['x-compute'] });
      out['x-reactions'] = `{{${RULES_SCOPE_NAME}}}`;
    }
  }
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
