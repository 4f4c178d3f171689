/**
 * The operators aggregation runs with: all of mingo's, except `$percentile` and `$median`
 * (accumulator and expression forms), which are replaced. mingo 7.2 sorts their input with
 * the default `Array.prototype.sort` — as text — so the median of 2, 9, 10, 30, 100 came out
 * as 2; these sort numerically and follow MongoDB's definitions:
 * - `approximate` (MongoDB's default; exact for the sizes this database holds) and `discrete`:
 *   the smallest input value v such that at least p of the values are ≤ v (rank ⌈p·n⌉);
 * - `continuous`: linear interpolation between the two closest ranks (rank p·(n−1)).
 * Non-numeric values are ignored; no numeric value at all gives null (for each p).
 */
import { Context, evalExpr } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { $push } from 'mingo/operators/accumulator';

type Options = Parameters<typeof $push>[2];
type Spec = { input: unknown; p?: unknown; method?: unknown };

function fail(message: string): never {
  throw new Error(message);
}

function checkSpec(name: string, expr: unknown, needP: boolean): Spec {
  if (typeof expr !== 'object' || expr === null || Array.isArray(expr) || !('input' in expr)) fail(`${name} expects an object { input${needP ? ', p' : ''}, method }`);
  const spec = expr as Spec;
  if (spec.method !== undefined && !['approximate', 'discrete', 'continuous'].includes(spec.method as string)) {
    fail(`${name}: method must be 'approximate', 'discrete' or 'continuous'`);
  }
  return spec;
}

/** The percentiles `ps` of the numbers among `values` (see the module comment). */
export function percentiles(values: unknown[], ps: unknown[], method: unknown): (number | null)[] {
  const xs = values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v)).sort((a, b) => a - b);
  return ps.map((p) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail("$percentile 'p' must be an array of numbers between 0.0 and 1.0");
    if (xs.length === 0) return null;
    if (method === 'continuous') {
      const r = p * (xs.length - 1);
      const lo = Math.floor(r);
      return lo + 1 < xs.length ? xs[lo]! + (r - lo) * (xs[lo + 1]! - xs[lo]!) : xs[lo]!;
    }
    return xs[Math.max(0, Math.ceil(p * xs.length) - 1)]!;
  });
}

function pList(spec: Spec, root: unknown, options: Options): unknown[] {
  const p = Array.isArray(spec.p) ? spec.p : evalExpr(root, spec.p, options);
  if (!Array.isArray(p) || p.length === 0) fail("$percentile 'p' must be a non-empty array of numbers between 0.0 and 1.0");
  return p;
}

const accPercentile = (coll: unknown[], expr: unknown, options: Options) => {
  const spec = checkSpec('$percentile', expr, true);
  return percentiles($push(coll, spec.input as never, options), pList(spec, {}, options), spec.method);
};
const accMedian = (coll: unknown[], expr: unknown, options: Options) => {
  const spec = checkSpec('$median', expr, false);
  return percentiles($push(coll, spec.input as never, options), [0.5], spec.method)[0];
};
const asList = (v: unknown) => (Array.isArray(v) ? v : [v]);
const exprPercentile = (obj: unknown, expr: unknown, options: Options) => {
  const spec = checkSpec('$percentile', expr, true);
  return percentiles(asList(evalExpr(obj, spec.input, options)), pList(spec, obj, options), spec.method);
};
const exprMedian = (obj: unknown, expr: unknown, options: Options) => {
  const spec = checkSpec('$median', expr, false);
  return percentiles(asList(evalExpr(obj, spec.input, options)), [0.5], spec.method)[0];
};

/** mingo's operators with the percentile fixes above. */
export const aggregationContext = Context.init({
  accumulator: { ...accumulatorOperators, $percentile: accPercentile, $median: accMedian },
  expression: { ...expressionOperators, $percentile: exprPercentile, $median: exprMedian },
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
} as unknown as Parameters<typeof Context.init>[0]);
