/**
 * FEEL conditions and expressions (`@bpmn-io/feelin`): parsed once at deploy to report syntax
 * errors and the variable names read; evaluated only when a token reaches them.
 *
 * feelin's public `evaluate()` re-parses every call (~90 µs, mostly parsing), so results are
 * memoised per expression on the values of the variables it reads — a FEEL expression is pure
 * except for clock functions, which are never cached. No eval, no vm: FEEL is interpreted.
 *
 * The clock functions read the engine's clock (`RunOptions.now`), not the wall clock, so a step
 * replayed or tested at a given time gives the same answer: `now()` is that instant on China time
 * (UTC+8, like due dates in time.ts) and `today()` is its China calendar date, a FEEL date (so
 * `today() = date("2024-03-02")` holds on that day, as the FEEL spec has it).
 */
import { date, evaluate, parseExpression } from '@bpmn-io/feelin';
import { budgetContext, checkInputs, FEEL_LIMITS, FeelBudgetError, feelStaticProblem } from './feel-budget';
import type { FeelExpr } from './types';

const CLOCK = /\b(now|today)\s*\(/;
const CACHE_LIMIT = 5000;
const cache = new Map<string, Map<string, unknown>>();
/** The static budget verdict per expression (feel-budget.ts): '' when it may run. */
const verdicts = new Map<string, string>();

/** Why `expr` may not run within the FEEL budget, statically (undefined: it may). Memoised. */
export function feelBudgetProblem(expr: string): string | undefined {
  let v = verdicts.get(expr);
  if (v === undefined) {
    if (verdicts.size >= CACHE_LIMIT) verdicts.clear();
    v = feelStaticProblem(expr) ?? '';
    verdicts.set(expr, v);
  }
  return v || undefined;
}

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

const CHINA_OFFSET_MS = 8 * 3600_000;

/**
 * FEEL's clock functions on the engine's clock `now` (ISO). Put before the variables in the
 * context, so a process variable named `now` or `today` still wins, as it does over feelin's builtins.
 */
export function feelClock(now: string): { now: () => unknown; today: () => unknown } {
  const china = new Date(Date.parse(now) + CHINA_OFFSET_MS).toISOString();
  return {
    now: () => date(`${china.slice(0, 23)}+08:00`),
    today: () => date(china.slice(0, 10)),
  };
}

/**
 * Evaluates a compiled expression against `context`; never throws. `now` is the engine's clock,
 * read by `now()`/`today()` (without it they read the wall clock). Within the FEEL budget
 * (feel-budget.ts): an expression that would spend it answers `{error}` starting 「超出表达式预算」,
 * and the engine raises an incident.
 */
export function evalFeel(fe: FeelExpr, context: Record<string, unknown>, now?: string): { value: unknown } | { error: string } {
  let key: string | undefined;
  let perExpr: Map<string, unknown> | undefined;
  if (!fe.volatile) {
    key = JSON.stringify(fe.vars.map((v) => context[v] ?? null));
    perExpr = cache.get(fe.expr);
    if (perExpr?.has(key)) return { value: perExpr.get(key) };
  }
  const refused = feelBudgetProblem(fe.expr) ?? checkInputs(fe.vars, context);
  if (refused) return { error: `超出表达式预算：${refused}` };
  let value: unknown;
  try {
    const budget = budgetContext(Date.now() + FEEL_LIMITS.millis);
    value = evaluate(fe.expr, { ...budget, ...(fe.volatile && now !== undefined ? feelClock(now) : {}), ...context }).value;
  } catch (e) {
    return { error: e instanceof FeelBudgetError ? `超出表达式预算：${e.message}` : (e as Error).message };
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
