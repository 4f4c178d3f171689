/**
 * The fixed registry of eligibility rules a field may reference (`x-eligibility: {rule, from,
 * when?}`): the retirement rules of `rules/` applied to the answers, each problem a stable code
 * and a Chinese message that says what would make the application valid. Administrators pick a
 * rule and bind its parameters to fields (as for `x-compute`); nothing is evaluated as code.
 * The browser and the server run the same functions (validate/plan.ts).
 *
 *   runEligibility('statutoryMonth', { id: '320402196603121351', retireAt: '2025-01' })
 *   // [{ code: 'eligibility.before-statutory', message: '按现行政策，您的法定退休年月为 2026年7月，…' }]
 */
import {
  DEFAULT_RETIREMENT_CONFIG, earlyRetirementEligibility, isYearMonth, monthIndex, retirementCategory,
  SPECIAL_WORK_TYPES, statutoryRetirement, type RetirementConfig, type SpecialWorkType,
} from '../rules/index';
import type { ComputeParam } from './compute';
import { residentIdInfo } from './id-cache';

export interface EligibilityProblem {
  /** `eligibility.<problem>`, e.g. `eligibility.special-work-years`. */
  code: string;
  message: string;
}

export interface EligibilityFunction {
  name: string;
  /** Chinese name for the designer. */
  label: string;
  params: Record<string, ComputeParam>;
  /** Problems of the answers; none while the inputs are incomplete (required checks report those). */
  check(args: Record<string, unknown>, config: RetirementConfig): EligibilityProblem[];
}

/** '2031年3月' for '2031-03'. */
export const chineseYearMonth = (ym: string): string => `${ym.slice(0, 4)}年${Number(ym.slice(5, 7))}月`;

function person(args: Record<string, unknown>) {
  const info = typeof args.id === 'string' ? residentIdInfo(args.id) : null;
  if (!info?.valid || !isYearMonth(args.retireAt)) return null;
  return { gender: info.gender, birth: info.birthDate.slice(0, 7), at: args.retireAt };
}

const ID_AT = {
  id: { label: '身份证号码', required: true },
  retireAt: { label: '退休时间', required: true },
};
const problem = (code: string, message: string): EligibilityProblem => ({ code: `eligibility.${code}`, message });
const hasAppraisal = (v: unknown) => v === true || (Array.isArray(v) && v.length > 0);

const list: EligibilityFunction[] = [
  {
    name: 'statutoryMonth',
    label: '正常退休：退休时间不早于法定退休年月',
    params: {
      ...ID_AT,
      identity: { label: '本人身份', required: false },
      postNature: { label: '岗位性质', required: false },
      flexibleEmployment: { label: '是否灵活就业', required: false },
    },
    check(a, config) {
      const p = person(a);
      if (!p) return [];
      const category = retirementCategory({
        gender: p.gender,
        identity: typeof a.identity === 'string' ? a.identity : undefined,
        postNature: typeof a.postNature === 'string' ? a.postNature : undefined,
        flexibleEmployment: a.flexibleEmployment === true,
      }, config);
      const { retireAt } = statutoryRetirement({ birth: p.birth, category }, config);
      if (monthIndex(p.at) >= monthIndex(retireAt)) return [];
      return [problem('before-statutory', `按现行政策，您的法定退休年月为 ${chineseYearMonth(retireAt)}，正常退休的退休时间不能早于该月`)];
    },
  },
  {
    name: 'specialWorkEarly',
    label: '特殊工种提前退休：年龄和特殊工种累计年限',
    params: {
      ...ID_AT,
      workType: { label: '特殊工种类型', required: true },
      years: { label: '累计从事特殊工种年限', required: true },
    },
    check(a, config) {
      const p = person(a);
      if (!p || typeof a.workType !== 'string' || typeof a.years !== 'number') return [];
      const type = Object.prototype.hasOwnProperty.call(SPECIAL_WORK_TYPES, a.workType) ? (a.workType as SpecialWorkType) : undefined;
      const r = earlyRetirementEligibility({ kind: 'special-work', gender: p.gender, birth: p.birth, at: p.at, specialWorkType: type, specialWorkYears: a.years }, config);
      const minAge = p.gender === 'male' ? config.specialWork.maleAge : config.specialWork.femaleAge;
      return r.problems.map((x) => {
        if (x === 'age') return problem('special-work-age', `特殊工种提前退休须年满${minAge}周岁，您最早可于 ${chineseYearMonth(r.earliest!)} 退休`);
        if (x === 'special-work-type') return problem('special-work-type', '请选择特殊工种类型');
        const min = config.specialWork.minYears[type!];
        return problem('special-work-years', `从事${SPECIAL_WORK_TYPES[type!]}工作累计须满${min}年方可特殊工种提前退休，您填写的是${a.years as number}年`);
      });
    },
  },
  {
    name: 'illnessEarly',
    label: '因病退休：年龄和劳动能力鉴定',
    params: { ...ID_AT, appraisal: { label: '劳动能力鉴定（材料或是否）', required: true } },
    check(a, config) {
      const p = person(a);
      if (!p) return [];
      const r = earlyRetirementEligibility({ kind: 'illness', gender: p.gender, birth: p.birth, at: p.at, totalDisabilityAppraisal: hasAppraisal(a.appraisal) }, config);
      const minAge = p.gender === 'male' ? config.illness.maleAge : config.illness.femaleAge;
      return r.problems.map((x) => (x === 'age'
        ? problem('illness-age', `因病或非因工致残完全丧失劳动能力的，须年满${minAge}周岁方可退休，您最早可于 ${chineseYearMonth(r.earliest!)} 退休；未达年龄的可申请因病退职`)
        : problem('appraisal', '因病退休、因病退职须提交劳动能力鉴定书（完全丧失劳动能力）')));
    },
  },
  {
    name: 'illnessResignation',
    label: '因病退职：劳动能力鉴定，未达因病退休年龄',
    params: { ...ID_AT, appraisal: { label: '劳动能力鉴定（材料或是否）', required: true } },
    check(a, config) {
      const p = person(a);
      if (!p) return [];
      const r = earlyRetirementEligibility({ kind: 'resignation', gender: p.gender, birth: p.birth, at: p.at, totalDisabilityAppraisal: hasAppraisal(a.appraisal) }, config);
      return r.problems.map((x) => (x === 'eligible-for-retirement'
        ? problem('eligible-for-retirement', '您已达到因病退休年龄，请选择“因病退休”')
        : problem('appraisal', '因病退休、因病退职须提交劳动能力鉴定书（完全丧失劳动能力）')));
    },
  },
];

/** Registry by name. A new rule = a pure rule in `rules/` + one entry here. */
export const ELIGIBILITY_RULES: Readonly<Record<string, EligibilityFunction>> = Object.freeze(Object.fromEntries(list.map((f) => [f.name, f])));

/** Runs a registry rule (own names only); unknown names give no problems (the schema checker reports them). */
export function runEligibility(name: string, args: Record<string, unknown>, config: RetirementConfig = DEFAULT_RETIREMENT_CONFIG): EligibilityProblem[] {
  const f = Object.prototype.hasOwnProperty.call(ELIGIBILITY_RULES, name) ? ELIGIBILITY_RULES[name] : undefined;
  return f ? f.check(args, config) : [];
}
