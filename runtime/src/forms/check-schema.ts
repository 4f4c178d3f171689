/**
 * The schema-level validator: does a form schema follow our conventions? Collects every
 * problem with its schema path instead of failing on the first (the designer lists them;
 * publishing refuses a schema with problems).
 *
 *   checkFormSchema(schema)   // [{path: 'properties.x', code: 'unknown-field-type', message: …}]
 */
import { COMPUTE_FUNCTIONS, computeOrder } from './compute';
import { componentPropFits } from './field-types/define';
import { conditionFields, conditionShapeProblem } from './conditions';
import { crossCheckProblems } from './cross-checks';
import type { FieldError, FieldSchema } from './types';
import { parseLinkedItem } from './linked-item';
import { MAX_PATTERN_LENGTH, patternSyntaxProblem } from './pattern';
import { walkSchema } from './walk';

/** Data keys: identifiers only, so a key can never be read as a path expression or code. */
export const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export { MAX_PATTERN_LENGTH };
const EXPRESSION = /\{\{[\s\S]*\}\}/;
const LINKED_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export type SchemaProblem = FieldError;

/** True when a `{{ }}` expression hides anywhere in a value or key (Formily would compile it to code). */
function hasExpression(v: unknown): boolean {
  if (typeof v === 'string') return EXPRESSION.test(v);
  if (Array.isArray(v)) return v.some(hasExpression);
  if (typeof v === 'object' && v !== null) return Object.entries(v).some(([k, x]) => EXPRESSION.test(k) || hasExpression(x));
  return false;
}

/**
 * Why an administrator's regex is refused (Chinese), or null when it may be used. Patterns run
 * on RE2 (linear time, see pattern.ts), so nesting is harmless; what RE2 cannot express
 * (back-references, lookaround) or parse is refused.
 */
export function patternProblem(pattern: unknown): string | null {
  return patternSyntaxProblem(pattern);
}

/** Every convention problem of a form schema; an empty list means it may be published. */
export function checkFormSchema(schema: FieldSchema): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });
  if (schema?.type !== 'object' || typeof schema.properties !== 'object') {
    add('', 'root-not-object', '表单必须是 `{type: "object", properties: {…}}`');
    return problems;
  }
  for (const [k, v] of Object.entries(schema)) {
    if (k !== 'properties' && (EXPRESSION.test(k) || hasExpression(v))) add(k, 'expression-not-allowed', '不允许使用 `{{ }}` 表达式：联动请用 x-visible-when / x-required-when / x-compute');
  }
  const nodes = walkSchema(schema);
  const dataPaths = new Map<string, string>();
  for (const n of nodes) {
    if (!n.keyed) continue;
    const seen = dataPaths.get(n.path);
    if (seen) add(n.schemaPath, 'duplicate-key', `数据键「${n.path}」与 ${seen} 重复`);
    else dataPaths.set(n.path, n.schemaPath);
  }
  const topLevel = (p: string) => dataPaths.has(p) && !p.includes('*');
  const linkedIds = new Map<string, string>();
  const typeOf = new Map(nodes.filter((n) => n.keyed).map((n) => [n.path, String(n.schema['x-field-type'])]));
  for (const n of nodes) {
    const at = n.schemaPath;
    const s = n.schema;
    for (const [key, code, message] of crossCheckProblems(n, topLevel, (p) => typeOf.get(p))) add(`${at}.${key}`, code, message);
    if (!KEY_PATTERN.test(n.key)) add(at, 'invalid-key', `键「${n.key}」只能由字母、数字和 _ 组成，并以字母开头`);
    if (!s['x-field-type']) add(at, 'missing-field-type', '每个节点都需要 x-field-type（字段类型）');
    else if (!n.config) add(at, 'unknown-field-type', `字段类型「${String(s['x-field-type'])}」不存在`);
    const c = n.config;
    if (c) {
      if (s.type !== undefined && s.type !== c.dataType) add(at, 'type-mismatch', `字段类型「${c.type}」的数据类型是 ${c.dataType}，不是 ${String(s.type)}`);
      if (s.properties && c.container !== 'properties') add(at, 'children-not-allowed', `「${c.label}」不能包含子字段`);
      if (c.container === 'items' && !s.items?.properties) add(at, 'rows-without-columns', '明细表需要 items.properties（各列）');
      const own = c.checkSchema?.(s);
      if (own) add(at, own.code, own.message);
    }
    if (n.rows && s.properties) add(at, 'nested-container', '明细表的列不能包含子字段');
    if (s.pattern !== undefined) {
      const p = patternProblem(s.pattern);
      if (p) add(`${at}.pattern`, 'bad-pattern', p);
    }
    for (const [k, v] of Object.entries(s)) {
      if (k !== 'properties' && k !== 'items' && (EXPRESSION.test(k) || hasExpression(v))) add(`${at}.${k}`, 'expression-not-allowed', '不允许使用 `{{ }}` 表达式：联动请用 x-visible-when / x-required-when / x-compute');
    }
    if (s.items && Object.entries(s.items).some(([k, v]) => k !== 'properties' && (EXPRESSION.test(k) || hasExpression(v)))) add(`${at}.items`, 'expression-not-allowed', '不允许使用 `{{ }}` 表达式');
    for (const k of ['x-reactions', 'x-rules'] as const) {
      if (s[k] !== undefined) add(`${at}.${k}`, 'reactions-not-allowed', `不允许使用 ${k}：联动请用 x-visible-when / x-required-when / x-compute（联动由系统生成）`);
    }
    for (const k of ['title', 'description'] as const) {
      if (s[k] !== undefined && typeof s[k] !== 'string') add(`${at}.${k}`, 'text-not-string', `${k === 'title' ? '标题' : '说明'}必须是文本`);
    }
    const props = s['x-component-props'];
    if (props !== undefined) {
      const documented = c?.componentProps ?? {};
      if (typeof props !== 'object' || props === null || Array.isArray(props)) add(`${at}.x-component-props`, 'component-props-bad-shape', 'x-component-props 必须是对象');
      else {
        for (const prop of Object.keys(props)) {
          if (hasOwn(documented, prop)) {
            if (!componentPropFits(documented[prop]!, (props as Record<string, unknown>)[prop], s)) add(`${at}.x-component-props.${prop}`, 'component-prop-bad-value', `组件属性「${prop}」（${documented[prop]!.doc}）的取值类型不对`);
          } else add(`${at}.x-component-props.${prop}`, 'component-prop-not-allowed', `字段类型「${c?.label ?? String(s['x-field-type'])}」不支持组件属性「${prop}」${Object.keys(documented).length ? `（可用：${Object.keys(documented).join('、')}）` : '（此类型没有可设置的组件属性）'}`);
        }
      }
    }
    for (const kind of ['x-visible-when', 'x-required-when'] as const) {
      const cond = s[kind];
      if (cond === undefined) continue;
      const shape = conditionShapeProblem(cond);
      if (shape) { add(`${at}.${kind}`, 'rule-bad-shape', shape); continue; }
      for (const f of conditionFields(cond)) {
        if (!topLevel(f)) add(`${at}.${kind}`, 'rule-missing-field', `条件引用的「${f}」不是明细表以外的字段`);
      }
    }
    const linked = s['x-linked-item'];
    if (linked !== undefined) {
      // Either the id of a linked item of the matter (its manifest holds name and department) or an inline {id, name, department}.
      const mark = parseLinkedItem(linked);
      const id = mark?.id;
      const ok = !!mark && LINKED_ID.test(mark.id) && (!mark.inline || (!!mark.name && !!mark.department));
      if (!ok) add(`${at}.x-linked-item`, 'linked-item-bad-shape', 'x-linked-item 应为关联事项编号（字母、数字、-）或 {id, name, department}');
      else if (!['yesNo', 'checkbox'].includes(String(s['x-field-type']))) add(`${at}.x-linked-item`, 'linked-item-not-opt-in', '关联事项只能由“是否”（或勾选）字段开启');
      else if (linkedIds.has(id!)) add(`${at}.x-linked-item`, 'duplicate-linked-item', `关联事项「${id}」已在 ${linkedIds.get(id!)} 开启`);
      else linkedIds.set(id!, at);
    }
    if (s['x-required-when'] && !n.keyed) add(`${at}.x-required-when`, 'rule-not-applicable', '只有填写数据的字段才能设为必填');
    const comp = s['x-compute'];
    if (comp !== undefined) {
      // Own properties only: `constructor` or `__proto__` must not find Object's members.
      const name = typeof comp === 'object' && comp !== null ? comp.compute : undefined;
      const fn = typeof name === 'string' && hasOwn(COMPUTE_FUNCTIONS, name) ? COMPUTE_FUNCTIONS[name] : undefined;
      if (!fn) { add(`${at}.x-compute`, 'unknown-compute', `计算函数「${String(name ?? comp)}」不存在，请从计算函数列表中选择`); continue; }
      if (n.rows) add(`${at}.x-compute`, 'rule-not-applicable', '明细表中不支持计算值');
      const from = comp.from ?? {};
      for (const [param, spec] of Object.entries(fn.params)) {
        if (spec.required && from[param] === undefined) add(`${at}.x-compute.from.${param}`, 'compute-missing-param', `计算函数「${comp.compute}」需要参数「${param}」（${spec.label}）`);
      }
      for (const [param, arg] of Object.entries(from)) {
        if (!hasOwn(fn.params, param)) add(`${at}.x-compute.from.${param}`, 'compute-unknown-param', `计算函数「${comp.compute}」没有参数「${param}」`);
        else if (typeof arg === 'string' && !topLevel(arg)) add(`${at}.x-compute.from.${param}`, 'rule-missing-field', `计算值引用的「${arg}」不是明细表以外的字段`);
        else if (typeof arg !== 'string' && !(typeof arg === 'object' && arg !== null && 'value' in arg)) add(`${at}.x-compute.from.${param}`, 'rule-bad-shape', '参数应为字段路径或 {value}');
      }
    }
  }
  // Computed values reading each other in a circle have no value to start from.
  const computed = nodes.filter((n) => n.keyed && !n.rows && isComputeRule(n.schema['x-compute']));
  const reads = new Map(computed.map((n) => [n.path, Object.values(n.schema['x-compute']!.from ?? {}).filter((a): a is string => typeof a === 'string')]));
  const where = new Map(computed.map((n) => [n.path, n]));
  for (const cycle of computeOrder(reads).cycles) {
    const names = cycle.map((k) => { const t = where.get(k)!.schema.title; return `「${typeof t === 'string' && t ? t : k}」`; }).join(' → ');
    add(`${where.get(cycle[0]!)!.schemaPath}.x-compute`, 'compute-cycle', `计算值循环引用：${names}，请改为由填写的字段计算`);
  }
  return problems;
}

const isComputeRule = (c: unknown): c is { compute: string; from?: Record<string, unknown> } =>
  typeof c === 'object' && c !== null && typeof (c as { compute?: unknown }).compute === 'string'
  && ((c as { from?: unknown }).from === undefined || (typeof (c as { from?: unknown }).from === 'object' && (c as { from?: unknown }).from !== null));
