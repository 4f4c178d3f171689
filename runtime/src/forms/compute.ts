/**
 * The fixed registry of functions a computed field may name (`x-compute: {compute, from}`).
 * Administrators pick one and map its parameters to fields; they never write code. The browser
 * shows the result live, the server recomputes it and rejects a submission that disagrees.
 */
import {
  DEFAULT_RETIREMENT_CONFIG, formatAge, minContributionMonths, retirementCategory,
  statutoryRetirement, type RetirementCategory, type RetirementConfig,
} from '../rules/index';
import { residentIdInfo } from './id-cache';
import type { Json } from './types';

export interface ComputeParam {
  label: string;
  required: boolean;
}

export interface ComputeFunction {
  name: string;
  /** Chinese name for the designer. */
  label: string;
  params: Record<string, ComputeParam>;
  /** The value, or undefined when the inputs do not (yet) determine one. */
  fn(args: Record<string, unknown>, config: RetirementConfig): Json | undefined;
}

function idInfo(id: unknown) {
  const info = typeof id === 'string' ? residentIdInfo(id) : null;
  return info?.valid ? info : null;
}

function category(args: Record<string, unknown>, config: RetirementConfig): RetirementCategory | undefined {
  const info = idInfo(args.id);
  if (!info) return undefined;
  return retirementCategory({
    gender: info.gender,
    identity: typeof args.identity === 'string' ? args.identity : undefined,
    postNature: typeof args.postNature === 'string' ? args.postNature : undefined,
    flexibleEmployment: args.flexibleEmployment === true,
  }, config);
}

const ID = { id: { label: '身份证号码', required: true } };
const CATEGORY_PARAMS = {
  ...ID,
  identity: { label: '本人身份', required: false },
  postNature: { label: '岗位性质', required: false },
  flexibleEmployment: { label: '是否灵活就业', required: false },
};

const list: ComputeFunction[] = [
  { name: 'birthDateFromId', label: '出生日期（由身份证号码）', params: ID, fn: (a) => idInfo(a.id)?.birthDate },
  { name: 'birthMonthFromId', label: '出生年月（由身份证号码）', params: ID, fn: (a) => idInfo(a.id)?.birthDate.slice(0, 7) },
  { name: 'genderFromId', label: '性别（由身份证号码）', params: ID, fn: (a) => idInfo(a.id)?.gender },
  { name: 'retirementCategory', label: '退休年龄类别', params: CATEGORY_PARAMS, fn: category },
  {
    name: 'statutoryRetirement',
    label: '法定退休年龄',
    params: CATEGORY_PARAMS,
    fn: (a, config) => {
      const c = category(a, config);
      if (!c) return undefined;
      const r = statutoryRetirement({ birth: idInfo(a.id)!.birthDate.slice(0, 7), category: c }, config);
      return formatAge(12 * r.years + r.months);
    },
  },
  {
    name: 'statutoryRetirementMonth',
    label: '法定退休年月',
    params: CATEGORY_PARAMS,
    fn: (a, config) => {
      const c = category(a, config);
      return c ? statutoryRetirement({ birth: idInfo(a.id)!.birthDate.slice(0, 7), category: c }, config).retireAt : undefined;
    },
  },
  {
    name: 'minContributionMonths',
    label: '最低缴费月数',
    params: { retireAt: { label: '退休时间', required: true } },
    fn: (a) => (typeof a.retireAt === 'string' && /^\d{4}-\d{2}/.test(a.retireAt) ? minContributionMonths(Number(a.retireAt.slice(0, 4))) : undefined),
  },
];

/** Registry by name. Adding a computed value = one entry here plus a rule in `rules/`. */
export const COMPUTE_FUNCTIONS: Readonly<Record<string, ComputeFunction>> = Object.freeze(Object.fromEntries(list.map((f) => [f.name, f])));

/** Runs a registry function; unknown names give undefined (the schema checker reports them). */
export function runCompute(name: string, args: Record<string, unknown>, config: RetirementConfig = DEFAULT_RETIREMENT_CONFIG): Json | undefined {
  const f = COMPUTE_FUNCTIONS[name];
  return f ? f.fn(args, config) : undefined;
}

/**
 * The computed fields in an order where each comes after the computed fields its arguments read
 * (`reads`: field key → the field keys it reads, in schema order), and the circles that make such
 * an order impossible (each as the keys around it, the first repeated at the end). Fields on a
 * circle keep their schema order; a schema with a circle is refused at publishing (check-schema).
 */
export function computeOrder(reads: ReadonlyMap<string, readonly string[]>): { order: string[]; cycles: string[][] } {
  const order: string[] = [];
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string): void => {
    state.set(key, 'open');
    stack.push(key);
    for (const dep of reads.get(key) ?? []) {
      if (!reads.has(dep)) continue; // an input field, not computed
      const s = state.get(dep);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (!s) visit(dep);
    }
    stack.pop();
    state.set(key, 'done');
    order.push(key);
  };
  for (const key of reads.keys()) if (!state.has(key)) visit(key);
  return { order, cycles };
}
