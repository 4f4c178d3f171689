/**
 * Compiles a form schema for Formily in the browser. Our rules (`x-visible-when`,
 * `x-required-when`, `x-compute`) are not put into the schema: `rules` holds them by data path,
 * each with its **read set** — the fields its conditions and computation read, found statically
 * from the rule data (`ruleReads`). The renderer gives every field with rules one reaction that
 * depends on exactly its read set (web/forms/rule-reactions.ts), so a change of field A re-runs
 * only the rules that read A (`dependants`). `outcome` evaluates a rule with the same
 * condition data and compute registry as the server; nothing is compiled to code.
 *
 *   const compiled = toFormilySchema(schema);
 *   createForm({ effects() { installRuleReactions(compiled); } });
 *   <SchemaField schema={compiled.schema} scope={compiled.scope} />
 */
import { DEFAULT_RETIREMENT_CONFIG, type RetirementConfig } from '../rules/index';
import { runCompute } from './compute';
import { conditionFields, evaluateCondition, isEmpty, jsonEqual } from './conditions';
import { messageFor } from './messages';
import { componentPropsOf, type FieldTypeConfig } from './field-types/index';
import { walkSchema, type SchemaNode } from './walk';
import type { Condition, ComputeRule, FieldSchema, Json } from './types';

/**
 * The scope name of the stand-alone rule reaction (`scope[RULES_SCOPE_NAME](field)` applies a
 * field's rules once). Compiled schemas no longer reference it: the renderer installs one
 * reaction per field keyed by its read set instead.
 */
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

export interface FieldRules {
  visibleWhen?: Condition;
  requiredWhen?: Condition;
  staticRequired: boolean;
  compute?: ComputeRule;
  /**
   * The data paths the rules read (top-level fields: the checker refuses others), sorted. A
   * path stands for its whole value: a rule reading an array (rows, check boxes) depends on
   * every item of it.
   */
  reads: string[];
}

/** What a field's rules decide now; absent members are not governed by a rule. */
export interface RuleOutcome {
  visible?: boolean;
  required?: boolean;
  /** Present (possibly undefined) when the field is computed. */
  value?: Json;
  computed: boolean;
}

export interface FormilyCompiled {
  schema: FieldSchema;
  scope: Record<string, unknown>;
  /** Rules by data path (rows columns as `rows.*.col`). */
  rules: Map<string, FieldRules>;
  /** For each data path some rule reads: the rule keys (as in `rules`) that read it. */
  dependants: Map<string, string[]>;
  /** Evaluates one field's rules on values read by `get` (with the province parameters given to the compile). */
  outcome(rules: FieldRules, get: (path: string) => unknown): RuleOutcome;
}

/** The rule key of a Formily field path: row indexes become `*` (`rows.3.col` → `rows.*.col`). */
export const ruleKeyOf = (path: string): string => path.replace(/\.\d+(?=\.|$)/g, '.*');

/** The read set of a field's rules: every field its conditions and its computation read. */
export function ruleReads(r: { visibleWhen?: Condition; requiredWhen?: Condition; compute?: ComputeRule }): string[] {
  const out: string[] = [];
  if (r.visibleWhen) conditionFields(r.visibleWhen, out);
  if (r.requiredWhen) conditionFields(r.requiredWhen, out);
  if (r.compute) for (const arg of Object.values(r.compute.from)) if (typeof arg === 'string') out.push(arg);
  return [...new Set(out)].sort();
}

/** Evaluates a field's rules: the same conditions and compute registry as the server. */
export function evaluateFieldRules(r: FieldRules, get: (path: string) => unknown, config: RetirementConfig = DEFAULT_RETIREMENT_CONFIG): RuleOutcome {
  const out: RuleOutcome = { computed: false };
  if (r.visibleWhen) out.visible = evaluateCondition(r.visibleWhen, get);
  if (r.requiredWhen) out.required = r.staticRequired || evaluateCondition(r.requiredWhen, get);
  if (r.compute) {
    const args: Record<string, unknown> = {};
    for (const [param, arg] of Object.entries(r.compute.from)) args[param] = typeof arg === 'string' ? get(arg) : arg.value;
    out.computed = true;
    out.value = runCompute(r.compute.compute, args, config);
  }
  return out;
}

/** Decorator of a node: rows columns sit in table cells; sections and help notes (no data) render themselves. */
const decoratorFor = (t: FieldTypeConfig, inRows: boolean) => (inRows ? 'RowCell' : t.keyed ? 'FieldCell' : undefined);

/**
 * The leading 「系统补充项：」 of a description marks a field the printed form does not have (the
 * application PDF leaves such fields out); it is the author's mark, not the applicant's help, so
 * the form shows only what follows it. `x-note` (the author's reasons) is never shown.
 */
export function helpText(description: string | undefined): string | undefined {
  if (description === undefined) return undefined;
  const text = description.replace(/^\s*系统补充项[：:]\s*/, '');
  return text || undefined;
}

/** One node compiled on its own (children are attached by `toFormilySchema`). */
function compileNode(node: FieldSchema, t: FieldTypeConfig | undefined, inRows: boolean): FieldSchema {
  const out: FieldSchema = { ...node, description: helpText(node.description) };
  if (out.description === undefined) delete out.description;
  delete out['x-note'];
  if (t) {
    out.type = t.dataType;
    out['x-component'] ??= t.component;
    const decorator = decoratorFor(t, inRows);
    if (decorator) {
      out['x-decorator'] ??= decorator;
      out['x-decorator-props'] = { span: node['x-span'] ?? t.span, description: out.description, required: !!node.required, ...node['x-decorator-props'] };
    }
    // Only the props the type documents (an unknown one could blank the page).
    // (a section's or a note's own description prop shows the same help, the mark left out)
    const props = componentPropsOf(t, { ...node, description: out.description });
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
      const r = { visibleWhen: node['x-visible-when'], requiredWhen: node['x-required-when'], staticRequired: !!node.required, compute: node['x-compute'] };
      rules.set(n.path, { ...r, reads: ruleReads(r) });
    }
  }
  const dependants = new Map<string, string[]>();
  for (const [key, r] of rules) for (const p of r.reads) dependants.set(p, [...(dependants.get(p) ?? []), key]);
  const outcome = (r: FieldRules, get: (path: string) => unknown) => evaluateFieldRules(r, get, config);
  /** Applies a field's rules once (tests, and callers without the renderer's reactions). */
  const reaction = (field: RuleTarget) => {
    const r = rules.get(ruleKeyOf(field.path.toString()));
    if (r) applyRuleOutcome(field, outcome(r, (p) => field.form.getValuesIn(p)));
  };
  return { schema: compiled, scope: { [RULES_SCOPE_NAME]: reaction }, rules, dependants, outcome };
}

/**
 * Writes an outcome to a field. Formily's observables ignore a write of the same value, so
 * `visible` and `required` are always written (comparing with `field.visible` would be wrong:
 * a hidden section makes its children read invisible whatever their own rule says); a computed
 * value only when it differs.
 */
export function applyRuleOutcome(field: RuleTarget, o: RuleOutcome): void {
  if (o.visible !== undefined) field.visible = o.visible;
  if (o.required !== undefined) {
    field.required = o.required;
    field.setDecoratorProps?.({ required: o.required });
  }
  if (o.computed && !jsonEqual(field.value, o.value)) field.value = o.value;
}
