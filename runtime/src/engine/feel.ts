/**
 * FEEL conditions and expressions (`@bpmn-io/feelin`): parsed once at deploy to report syntax
 * errors and the variable names read; evaluated only when a token reaches them.
 *
 * feelin's public `evaluate()` re-parses every call (~90 µs, mostly parsing), so results are
 * memoised per expression on the values of the variables it reads — a FEEL expression is pure
 * except for clock functions, which are never cached. No eval, no vm: FEEL is interpreted.
 */
import { evaluate, parseExpression } from '@bpmn-io/feelin';
import type { FeelExpr } from './types';

const CLOCK = /\b(now|today)\s*\(/;
const CACHE_LIMIT = 5000;
const cache = new Map<string, Map<string, unknown>>();

/** Compiles a FEEL expression: `{expr}` or `{error}` with the parser's message. */
export function compileFeel(text: string): { expr: FeelExpr } | { error: string } {
  const expr = text.trim();
  if (!expr) return { error: '表达式为空' };
  try {
    const tree = parseExpression(expr, {}, undefined);
    const vars = new Set<string>();
    let error: string | undefined;
    tree.iterate({
      enter(node) {
        if (node.type.isError && !error) error = `第 ${node.from + 1} 个字符处语法错误`;
        if (node.name === 'VariableName') vars.add(expr.slice(node.from, node.to));
      },
    });
    if (error) return { error };
    return { expr: { expr, vars: [...vars], ...(CLOCK.test(expr) ? { volatile: true } : {}) } };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Evaluates a compiled expression against `context`; never throws. */
export function evalFeel(fe: FeelExpr, context: Record<string, unknown>): { value: unknown } | { error: string } {
  let key: string | undefined;
  let perExpr: Map<string, unknown> | undefined;
  if (!fe.volatile) {
    key = JSON.stringify(fe.vars.map((v) => context[v] ?? null));
    perExpr = cache.get(fe.expr);
    if (perExpr?.has(key)) return { value: perExpr.get(key) };
  }
  let value: unknown;
  try {
    value = evaluate(fe.expr, context).value;
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (key !== undefined) {
    if (!perExpr) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      perExpr = new Map();
      cache.set(fe.expr, perExpr);
    }
    if (perExpr.size >= 256) perExpr.clear();
    perExpr.set(key, value);
  }
  return { value };
}

/** Drops memoised FEEL results (benchmarks measure the cold path with it). */
export function clearFeelCache(): void {
  cache.clear();
}
