/**
 * The budget of one FEEL evaluation (issue 17, finding 1): no condition a city admin writes may
 * stall the event loop or exhaust memory. feelin compiles the parse tree into nested closures and
 * runs them synchronously; it offers no hook to count steps or stop a loop. So the budget has
 * two halves (docs/flow-extensions.md, "FEEL budget"):
 *
 * - static (`feelStaticProblem`, before the first evaluation and at publish): the only constructs
 *   that iterate are `for`, `some`/`every` and filters `list[…]`; their iteration counts,
 *   multiplied along nesting and added across siblings, must stay ≤ FEEL_LIMITS.steps, where a
 *   range `a..b` must have literal bounds and counts b−a+1, a literal list counts its elements and
 *   any other list counts FEEL_LIMITS.list (the runtime half guarantees no list is longer).
 *   Function definitions (the only way to recurse) and feelin's `partial` (the list being built,
 *   which lets a `for` double a value each step) are refused.
 * - runtime (`budgetContext` / `checkInputs`): lists read from variables are ≤ FEEL_LIMITS.list;
 *   the built-in functions that build or copy lists and strings are replaced (through the
 *   context, which feelin reads before its built-ins) by wrappers that refuse arguments and
 *   results above FEEL_LIMITS.list elements / FEEL_LIMITS.string characters and throw once the
 *   evaluation passed its deadline (FEEL_LIMITS.millis).
 * A spent budget is an error of the evaluation: the engine parks the token in an incident.
 */
import { RE2JS } from 're2js';
import { evaluate, parseExpression } from '@bpmn-io/feelin';

/** The budget of one evaluation. Iterations cost ~10–80 µs each in feelin (they copy the context). */
export const FEEL_LIMITS = Object.freeze({
  /** Iterations of for/some/every/filters, multiplied along nesting (static bound). */
  steps: 500,
  /** Elements of any list: read from a variable, passed to or returned by a built-in. */
  list: 500,
  /** Characters of any string passed to or returned by a built-in that builds strings. */
  string: 1_000_000,
  /** Wall-clock deadline, checked at every call of a wrapped built-in. */
  millis: 50,
});

/** Thrown inside an evaluation when its budget is spent. */
export class FeelBudgetError extends Error {
  override readonly name = 'FeelBudgetError';
}

interface Node {
  name: string;
  from: number;
  to: number;
  firstChild: Node | null;
  nextSibling: Node | null;
}

const children = (n: Node): Node[] => {
  const out: Node[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};

const ITERATING = new Set(['ForExpression', 'QuantifiedExpression']);

/**
 * Why `text` may not be evaluated within the budget, statically (undefined: it may). Parse
 * errors are compileFeel's business and are not reported here.
 */
export function feelStaticProblem(text: string): string | undefined {
  let tree;
  try {
    tree = parseExpression(text, {}, undefined);
  } catch {
    return undefined;
  }
  const src = (n: Node) => text.slice(n.from, n.to);
  const refuse = (msg: string): never => {
    throw new FeelBudgetError(msg);
  };
  const literalNumber = (n: Node): number | undefined => (n.name === 'NumericLiteral' && /^-?\s*\d+(\.\d+)?$/.test(src(n)) ? Number(src(n).replace(/\s/g, '')) : undefined);

  /** Upper bound of the elements a list-valued node yields. */
  const size = (n: Node): number => {
    if (n.name === 'ParenthesizedExpression') return size(children(n)[1] ?? n);
    if (n.name === 'List') return Math.max(0, children(n).length - 2);
    if (n.name === 'ForExpression') {
      const ins = children(n).find((c) => c.name === 'InExpressions');
      return ins ? children(ins).reduce((p, c) => p * iterationSize(c), 1) : FEEL_LIMITS.list;
    }
    if (n.name === 'FilterExpression') return size(children(n)[0]!);
    return FEEL_LIMITS.list;
  };
  /** Elements one `name in source` iterates over. */
  const iterationSize = (inExpr: Node): number => {
    const ctx = children(inExpr).find((c) => c.name === 'IterationContext');
    if (!ctx) return FEEL_LIMITS.list;
    const parts = children(ctx);
    if (parts.length === 2) {
      const [a, b] = parts.map(literalNumber);
      if (a === undefined || b === undefined) return refuse(`范围「${src(ctx)}」的上下界必须是数字常量`);
      return Math.floor(Math.abs(b - a)) + 1;
    }
    return parts[0] ? size(parts[0]) : 0;
  };
  /** Iterations spent evaluating `n` once. */
  const cost = (n: Node): number => {
    if (n.name === 'FunctionDefinition') return refuse('条件中不允许定义函数（function）');
    if (n.name === 'VariableName' && src(n).trim() === 'partial') return refuse('条件中不允许使用 partial');
    const cs = children(n);
    if (ITERATING.has(n.name)) {
      const ins = cs.find((c) => c.name === 'InExpressions');
      const sources = ins ? children(ins) : [];
      let product = 1;
      let setup = 0;
      for (const s of sources) {
        setup += product * cost(s); // later sources are evaluated once per earlier combination
        product *= iterationSize(s);
        if (product > FEEL_LIMITS.steps) return refuse(`「${src(n).slice(0, 60)}」最多迭代 ${product} 次，超过上限 ${FEEL_LIMITS.steps}`);
      }
      const body = cs[cs.length - 1]!;
      return setup + product * (1 + cost(body));
    }
    if (n.name === 'FilterExpression') {
      const [target, , filter] = cs;
      return cost(target!) + size(target!) * (1 + (filter ? cost(filter) : 0));
    }
    return cs.reduce((sum, c) => sum + cost(c), 0);
  };
  try {
    const total = cost(tree.topNode as unknown as Node);
    if (total > FEEL_LIMITS.steps) return `表达式最多迭代 ${total} 次，超过上限 ${FEEL_LIMITS.steps}`;
    return undefined;
  } catch (e) {
    if (e instanceof FeelBudgetError) return e.message;
    throw e;
  }
}

/** Counts elements (nested lists and contexts included) up to `limit`; strings by their length. */
function measure(value: unknown, limit: { list: number; string: number }): string | undefined {
  let elements = 0;
  let chars = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      chars += v.length;
      if (chars > limit.string) return `字符串超过 ${limit.string} 个字符`;
    } else if (Array.isArray(v)) {
      elements += v.length;
      if (elements > limit.list) return `列表超过 ${limit.list} 个元素`;
      for (const x of v) stack.push(x);
    } else if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const vals = Object.values(v);
      elements += vals.length;
      if (elements > limit.list) return `列表超过 ${limit.list} 个元素`;
      for (const x of vals) stack.push(x);
    }
  }
  return undefined;
}

/** Why the variables `vars` of `context` are too large to evaluate on (undefined: they are not). */
export function checkInputs(vars: readonly string[], context: Record<string, unknown>): string | undefined {
  const stack: unknown[] = vars.map((v) => context[v]);
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      if (v.length > FEEL_LIMITS.list) return `变量中的列表有 ${v.length} 个元素，超过上限 ${FEEL_LIMITS.list}`;
      for (const x of v) stack.push(x);
    } else if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      for (const x of Object.values(v)) stack.push(x);
    }
  }
  return undefined;
}

/** Built-ins that build or copy lists/strings, or run regular expressions: wrapped with the budget. */
const WRAPPED = [
  'string join', 'concatenate', 'append', 'insert before', 'flatten', 'distinct values', 'union', 'list replace',
  'remove', 'reverse', 'index of', 'sort', 'sublist', 'get entries', 'context put', 'context merge', 'string',
  'replace', 'split', 'matches', 'upper case', 'lower case',
];

type Builtin = ((...args: unknown[]) => unknown) & { $args?: string[] };

/** Longest pattern FEEL's regex built-ins accept (as in forms, runtime/src/forms/pattern.ts). */
const MAX_FEEL_PATTERN = 200;
const RE2_FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, s: RE2JS.DOTALL, m: RE2JS.MULTILINE };

/**
 * An administrator's pattern compiled on RE2 (linear time): JavaScript's own engine, which
 * feelin uses, can backtrack for minutes on `(a|a)+$`, and a deadline cannot stop a running regex.
 */
function re2(pattern: unknown, flags: unknown): RE2JS {
  if (typeof pattern !== 'string') throw new FeelBudgetError('正则表达式必须是文本');
  if (pattern.length > MAX_FEEL_PATTERN) throw new FeelBudgetError(`正则表达式不能超过 ${MAX_FEEL_PATTERN} 个字符`);
  let bits = 0;
  for (const f of typeof flags === 'string' ? flags : '') {
    if (!(f in RE2_FLAGS)) throw new FeelBudgetError(`不支持的正则标志「${f}」`);
    bits |= RE2_FLAGS[f]!;
  }
  try {
    return RE2JS.compile(pattern, bits);
  } catch (e) {
    throw new FeelBudgetError(`正则表达式不受支持（不能使用反向引用、前后断言等，或语法有误）：${(e as Error).message}`);
  }
}

/** FEEL's regex built-ins on RE2 (null in, null out, as feelin answers). */
const REGEX_BUILTINS: Record<string, (args: unknown[]) => unknown> = {
  matches: ([input, pattern, flags]) => (typeof input === 'string' ? re2(pattern, flags).matcher(input).find() : null),
  replace: ([input, pattern, replacement, flags]) => (typeof input === 'string' && typeof replacement === 'string' ? re2(pattern, flags).matcher(input).replaceAll(replacement) : null),
  split: ([input, delimiter]) => (typeof input === 'string' ? re2(delimiter, '').split(input, -1) : null),
};
let originals: Map<string, Builtin> | undefined;

const builtins = (): Map<string, Builtin> => {
  if (!originals) {
    originals = new Map();
    for (const name of WRAPPED) {
      const fn = evaluate(name).value;
      if (typeof fn === 'function') originals.set(name, fn as Builtin);
    }
  }
  return originals;
};

/**
 * The wrapped built-ins of one evaluation whose deadline is `deadline` (ms since epoch). Spread
 * them before the variables: a process variable of the same name still wins, as over feelin's own.
 */
export function budgetContext(deadline: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of builtins()) {
    const wrapped: Builtin = (...args: unknown[]) => {
      if (Date.now() > deadline) throw new FeelBudgetError(`求值超过 ${FEEL_LIMITS.millis} 毫秒`);
      const before = measure(args, FEEL_LIMITS);
      if (before) throw new FeelBudgetError(`「${name}」的参数${before}`);
      // replace("", …) inserts the replacement between every two characters: bound it before it runs.
      if (name === 'replace' && typeof args[0] === 'string' && typeof args[2] === 'string' && args[0].length * (args[2].length + 1) > FEEL_LIMITS.string) {
        throw new FeelBudgetError(`「replace」的结果可能超过 ${FEEL_LIMITS.string} 个字符`);
      }
      const result = REGEX_BUILTINS[name] ? REGEX_BUILTINS[name](args) : fn(...args);
      const after = measure(result, FEEL_LIMITS);
      if (after) throw new FeelBudgetError(`「${name}」的结果${after}`);
      return result;
    };
    if (fn.$args) wrapped.$args = fn.$args;
    out[name] = wrapped;
  }
  return out;
}
