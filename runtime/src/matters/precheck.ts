/**
 * The eligibility pre-check before the form (「先测一测」, issue 19 part 3): from a few answers —
 * ID number (or birth month and sex), category, special-work years, illness appraisal,
 * contribution months — the statutory retirement month, whether retirement is possible now and
 * on which route, the earliest month, the minimum contribution and whether it is met, and the
 * applicant's own list of materials (一次告知书) from the matter's materials and their `when`.
 * Pure: nothing is stored; `today` is the caller's clock.
 *
 *   precheck({ idNumber: '341502196501150039', identity: 'worker', contributionMonths: 200 }, matter.linkedItems, '2026-12')
 */
import { DEFAULT_RETIREMENT_CONFIG, SPECIAL_WORK_TYPES, type RetirementCategory, type RetirementConfig, type SpecialWorkType } from '../rules/config';
import { parseResidentId, type Gender } from '../rules/resident-id';
import { flexibleRetirementWindow, minContributionMonths, retirementCategory, statutoryRetirement, type StatutoryRetirement } from '../rules/retirement';
import { earlyRetirementEligibility } from '../rules/early-retirement';
import { formatAge, isYearMonth, monthIndex } from '../rules/year-month';
import type { MaterialWhen, MatterLinkedItem, PrecheckRoute } from './types';

/** 本人身份 for the pre-check: 干部 (or 管理技术岗位), 工人, 灵活就业人员. */
export type PrecheckIdentity = 'cadre' | 'worker' | 'flexible';

export interface PrecheckAnswers {
  /** 18-character resident ID number; when given, birth month and sex come from it. */
  idNumber?: string;
  /** 'YYYY-MM', only without an ID number. */
  birth?: string;
  sex?: Gender;
  identity: PrecheckIdentity;
  specialWorkType?: SpecialWorkType;
  /** Cumulative years in the special job. */
  specialWorkYears?: number;
  /** Holds a 劳动能力鉴定 of total loss of working capacity. */
  disabilityAppraisal?: boolean;
  contributionMonths?: number;
  /** 有职工人事档案. */
  hasArchive?: boolean;
  /** 持有独生子女父母光荣证. */
  onlyChildCertificate?: boolean;
}

export interface PrecheckRouteResult {
  route: PrecheckRoute;
  /** 正常退休 / 特殊工种提前退休 / 因病提前退休. */
  title: string;
  /** The first month this route allows (none when it can never apply to these answers). */
  earliest?: string;
  possibleNow: boolean;
  /** Why not (Chinese), each saying what would make it possible. */
  reasons: string[];
}

export interface PrecheckMaterial { name: string; kind: 'required' | 'on-request'; waivable?: boolean; items: string[] }

export interface PrecheckResult {
  birth: string;
  sex: Gender;
  category: RetirementCategory;
  statutory: StatutoryRetirement & { age: string };
  routes: PrecheckRouteResult[];
  /** Whether some route allows retirement this month, and the first such route. */
  possibleNow: boolean;
  route?: PrecheckRoute;
  /** The earliest month any route allows. */
  earliest: string;
  /** Minimum contribution months for a retirement in the year of `earliest`, and whether the answer meets it (unknown: undefined). */
  minContributionMonths: number;
  contributionMet?: boolean;
  /** The applicant's materials (一次告知书), each once, with the linked items asking for it. */
  materials: PrecheckMaterial[];
}

export interface PrecheckError { path: string; message: string }

const ROUTE_TITLES: Record<PrecheckRoute, string> = { normal: '正常退休', 'special-work': '特殊工种提前退休', illness: '因病提前退休' };

const ym = (s: string) => `${s.slice(0, 4)}年${Number(s.slice(5, 7))}月`;

/** Checks the answers' shape and consistency; [] when usable. */
export function precheckErrors(a: PrecheckAnswers): PrecheckError[] {
  const errors: PrecheckError[] = [];
  if (a.idNumber) {
    const id = parseResidentId(a.idNumber);
    if (!id.valid) errors.push({ path: 'idNumber', message: '公民身份号码不正确，请核对（18位，最后一位可为X）' });
  } else {
    if (!isYearMonth(a.birth)) errors.push({ path: 'birth', message: '请填写出生年月（如 1966-03），或填写公民身份号码' });
    if (a.sex !== 'male' && a.sex !== 'female') errors.push({ path: 'sex', message: '请选择性别，或填写公民身份号码' });
  }
  if (!['cadre', 'worker', 'flexible'].includes(a.identity)) errors.push({ path: 'identity', message: '请选择本人身份：干部、工人或灵活就业人员' });
  if (a.specialWorkType !== undefined && !Object.hasOwn(SPECIAL_WORK_TYPES, a.specialWorkType)) errors.push({ path: 'specialWorkType', message: '特殊工种类别不正确' });
  for (const [path, v, max] of [['specialWorkYears', a.specialWorkYears, 60], ['contributionMonths', a.contributionMonths, 960]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= max)) errors.push({ path, message: `请填写 0 到 ${max} 之间的数` });
  }
  return errors;
}

/** The pre-check; throws a RangeError on answers `precheckErrors` refuses. `today` is 'YYYY-MM'. */
export function precheck(a: PrecheckAnswers, items: readonly MatterLinkedItem[], today: string, config: RetirementConfig = DEFAULT_RETIREMENT_CONFIG): PrecheckResult {
  const errors = precheckErrors(a);
  if (errors.length) throw new RangeError(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  let birth: string;
  let sex: Gender;
  if (a.idNumber) {
    const id = parseResidentId(a.idNumber);
    birth = id.birthDate!.slice(0, 7);
    sex = id.gender!;
  } else {
    birth = a.birth!;
    sex = a.sex!;
  }
  const category = retirementCategory({ gender: sex, identity: a.identity === 'cadre' ? '干部' : '工人', flexibleEmployment: a.identity === 'flexible' }, config);
  const statutory = statutoryRetirement({ birth, category }, config);
  const now = monthIndex(today);

  // 正常退休: the statutory month; up to 3 years earlier (never below the original age) when the minimum contribution is met.
  const window = flexibleRetirementWindow({ birth, category }, config);
  const minAtStatutory = minContributionMonths(Number(statutory.retireAt.slice(0, 4)));
  const minAtFlexible = minContributionMonths(Number(window.earliest.slice(0, 4)));
  const flexibleOk = a.contributionMonths !== undefined && a.contributionMonths >= minAtFlexible;
  const normalEarliest = flexibleOk ? window.earliest : statutory.retireAt;
  const normal: PrecheckRouteResult = { route: 'normal', title: ROUTE_TITLES.normal, earliest: normalEarliest, possibleNow: now >= monthIndex(normalEarliest), reasons: [] };
  if (!normal.possibleNow) normal.reasons.push(`按现行政策，您的法定退休年月为${ym(statutory.retireAt)}${flexibleOk && normalEarliest !== statutory.retireAt ? `，缴费年限已满的可自愿弹性提前，最早${ym(normalEarliest)}` : ''}`);
  if (a.contributionMonths !== undefined && a.contributionMonths < minAtStatutory) {
    normal.reasons.push(`累计缴费${a.contributionMonths}个月，不足${minAtStatutory}个月（${minAtStatutory / 12}年）的最低缴费年限，可延长缴费或趸缴补足`);
    normal.possibleNow = false;
  }

  const routes: PrecheckRouteResult[] = [normal];
  if (a.specialWorkType || a.specialWorkYears) {
    const r = earlyRetirementEligibility({ kind: 'special-work', gender: sex, birth, at: today, specialWorkType: a.specialWorkType, specialWorkYears: a.specialWorkYears }, config);
    const reasons: string[] = [];
    const minYears = a.specialWorkType ? config.specialWork.minYears[a.specialWorkType] : undefined;
    if (r.problems.includes('special-work-type')) reasons.push('请选择特殊工种类别（井下、高空、高温、特别繁重体力、其他有害身体健康）');
    if (r.problems.includes('special-work-years')) reasons.push(`从事${SPECIAL_WORK_TYPES[a.specialWorkType!]}工作累计须满${minYears}年（您填写的是${a.specialWorkYears ?? 0}年）`);
    if (r.problems.includes('age')) reasons.push(`特殊工种提前退休须年满${sex === 'male' ? config.specialWork.maleAge : config.specialWork.femaleAge}周岁，即${ym(r.earliest!)}起`);
    const yearsOk = !r.problems.includes('special-work-type') && !r.problems.includes('special-work-years');
    routes.push({ route: 'special-work', title: ROUTE_TITLES['special-work'], earliest: yearsOk && monthIndex(r.earliest!) < monthIndex(statutory.retireAt) ? r.earliest : undefined, possibleNow: r.eligible, reasons });
  }
  if (a.disabilityAppraisal !== undefined) {
    const r = earlyRetirementEligibility({ kind: 'illness', gender: sex, birth, at: today, totalDisabilityAppraisal: a.disabilityAppraisal }, config);
    const reasons: string[] = [];
    if (r.problems.includes('appraisal')) reasons.push('因病提前退休须经劳动能力鉴定委员会鉴定为完全丧失劳动能力');
    if (r.problems.includes('age')) reasons.push(`因病提前退休须年满${sex === 'male' ? config.illness.maleAge : config.illness.femaleAge}周岁，即${ym(r.earliest!)}起`);
    routes.push({ route: 'illness', title: ROUTE_TITLES.illness, earliest: a.disabilityAppraisal && monthIndex(r.earliest!) < monthIndex(statutory.retireAt) ? r.earliest : undefined, possibleNow: r.eligible, reasons });
  }
  // Early routes need the minimum contribution too.
  for (const r of routes) {
    if (r.route !== 'normal' && r.possibleNow && a.contributionMonths !== undefined && a.contributionMonths < minContributionMonths(Number(today.slice(0, 4)))) {
      r.possibleNow = false;
      r.reasons.push(`累计缴费${a.contributionMonths}个月，不足${minContributionMonths(Number(today.slice(0, 4)))}个月的最低缴费年限`);
    }
  }
  const possible = routes.find((r) => r.possibleNow);
  const earliest = routes.map((r) => r.earliest).filter((e): e is string => !!e).sort()[0] ?? statutory.retireAt;
  const minMonths = minContributionMonths(Number(earliest.slice(0, 4)));
  const route = possible?.route ?? routes.filter((r) => r.earliest).sort((x, y) => x.earliest!.localeCompare(y.earliest!))[0]?.route ?? 'normal';
  return {
    birth, sex, category,
    statutory: { ...statutory, age: formatAge(12 * statutory.years + statutory.months) },
    routes, possibleNow: !!possible, ...(possible ? { route: possible.route } : {}), earliest,
    minContributionMonths: minMonths,
    ...(a.contributionMonths !== undefined ? { contributionMet: a.contributionMonths >= minMonths } : {}),
    materials: materialsFor(items, { route, applicant: a.identity === 'flexible' ? 'flexible' : 'unit', archive: a.hasArchive, onlyChildCertificate: a.onlyChildCertificate }),
  };
}

/** The facts a material's `when` is read against. */
export interface MaterialFacts { route: PrecheckRoute; applicant: 'unit' | 'flexible'; archive?: boolean; onlyChildCertificate?: boolean }

/** Whether a material applies: every condition it names must hold (an unknown fact fails a yes/no condition). */
export function materialApplies(when: MaterialWhen | undefined, f: MaterialFacts): boolean {
  if (!when) return true;
  if (when.route && !when.route.includes(f.route)) return false;
  if (when.applicant && !when.applicant.includes(f.applicant)) return false;
  if (when.archive !== undefined && f.archive !== when.archive) return false;
  if (when.onlyChildCertificate !== undefined && f.onlyChildCertificate !== when.onlyChildCertificate) return false;
  return true;
}

/** The applicant's materials from the matter's linked items: those that apply, each name once (注2：重复的仅需提交一份). */
export function materialsFor(items: readonly MatterLinkedItem[], f: MaterialFacts): PrecheckMaterial[] {
  const out = new Map<string, PrecheckMaterial>();
  for (const item of items) {
    for (const m of item.materials ?? []) {
      if (!materialApplies(m.when, f)) continue;
      const seen = out.get(m.name);
      if (seen) {
        if (!seen.items.includes(item.title)) seen.items.push(item.title);
        if (m.kind === 'required') seen.kind = 'required';
        continue;
      }
      out.set(m.name, { name: m.name, kind: m.kind, ...(m.waivable ? { waivable: true } : {}), items: [item.title] });
    }
  }
  return [...out.values()];
}
