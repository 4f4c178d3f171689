/**
 * The eligibility pre-check (issue 19 part 3): its statutory month for every birth month
 * 1960–1990 × category against DOMAIN.md's table, computed here independently (month by month,
 * not with the rule's formula), and its routes, contribution and personal materials.
 */
import { describe, expect, it } from 'vitest';
import { loadCity } from '@lianban/templates';
import { makeResidentId, precheck, precheckErrors, type MatterLinkedItem, type PrecheckAnswers, type PrecheckIdentity } from '@lianban/runtime';

/** DOMAIN.md's table: base age, first affected birth month, +1 month every N birth months, cap. */
const TABLE = {
  male: { base: 60, first: [1965, 1], every: 4, max: 36 },
  f55: { base: 55, first: [1970, 1], every: 4, max: 36 },
  f50: { base: 50, first: [1975, 1], every: 2, max: 60 },
} as const;

/** The retirement year-month by walking the birth months one at a time from the first affected one. */
function expected(cat: keyof typeof TABLE, y: number, m: number): { ageY: number; ageM: number; at: string } {
  const t = TABLE[cat];
  let delay = 0;
  let [cy, cm] = t.first;
  let sinceStep = 0;
  // walk from the first affected month up to the birth month: the first month adds one, then one every `every`
  while (cy < y || (cy === y && cm <= m)) {
    if (sinceStep === 0) delay = Math.min(delay + 1, t.max);
    sinceStep = (sinceStep + 1) % t.every;
    cm += 1;
    if (cm === 13) { cm = 1; cy += 1; }
  }
  const age = 12 * t.base + delay;
  let ry = y + Math.floor(age / 12);
  let rm = m + (age % 12);
  if (rm > 12) { rm -= 12; ry += 1; }
  return { ageY: Math.floor(age / 12), ageM: age % 12, at: `${ry}-${String(rm).padStart(2, '0')}` };
}

const CASES: { label: string; sex: 'male' | 'female'; identity: PrecheckIdentity; cat: keyof typeof TABLE }[] = [
  { label: '男职工', sex: 'male', identity: 'worker', cat: 'male' },
  { label: '男干部', sex: 'male', identity: 'cadre', cat: 'male' },
  { label: '男灵活就业', sex: 'male', identity: 'flexible', cat: 'male' },
  { label: '女干部', sex: 'female', identity: 'cadre', cat: 'f55' },
  { label: '女工人', sex: 'female', identity: 'worker', cat: 'f50' },
  { label: '女灵活就业', sex: 'female', identity: 'flexible', cat: 'f55' },
];

describe('precheck: statutory month for every birth month 1960–1990', () => {
  it('should match the published table and examples', () => {
    // the walk reproduces DOMAIN.md's published rows, so it is the table and not the rule
    expect(expected('male', 1964, 12)).toEqual({ ageY: 60, ageM: 0, at: '2024-12' });
    expect(expected('male', 1965, 1)).toEqual({ ageY: 60, ageM: 1, at: '2025-02' });
    expect(expected('male', 1965, 5)).toEqual({ ageY: 60, ageM: 2, at: '2025-07' });
    expect(expected('male', 1976, 9)).toEqual({ ageY: 63, ageM: 0, at: '2039-09' });
    expect(expected('f55', 1970, 1)).toEqual({ ageY: 55, ageM: 1, at: '2025-02' });
    expect(expected('f50', 1975, 3)).toEqual({ ageY: 50, ageM: 2, at: '2025-05' });
    expect(expected('f50', 1984, 11)).toEqual({ ageY: 55, ageM: 0, at: '2039-11' });
  });

  for (const c of CASES) {
    it(`${c.label}: 372 birth months`, () => {
      let n = 0;
      for (let y = 1960; y <= 1990; y++) {
        for (let m = 1; m <= 12; m++) {
          const birth = `${y}-${String(m).padStart(2, '0')}`;
          const r = precheck({ birth, sex: c.sex, identity: c.identity }, [], '2026-01');
          const e = expected(c.cat, y, m);
          expect(r.category, birth).toBe(c.cat);
          expect([r.statutory.retireAt, r.statutory.years, r.statutory.months], birth).toEqual([e.at, e.ageY, e.ageM]);
          n++;
        }
      }
      expect(n).toBe(372);
    });
  }

  it('should read birth month and sex from the ID number', () => {
    const r = precheck({ idNumber: '32040219700520002X', identity: 'cadre' }, [], '2026-01');
    expect(r).toMatchObject({ birth: '1970-05', sex: 'female', category: 'f55' });
    expect(r.statutory.retireAt).toBe(expected('f55', 1970, 5).at);
    const id = makeResidentId('341502', '1980-07-09', 123); // odd sequence: male
    expect(precheck({ idNumber: id, identity: 'worker' }, [], '2026-01').statutory.retireAt).toBe(expected('male', 1980, 7).at);
  });
});

describe('precheck: routes, contribution, refusals', () => {
  it('should allow 正常退休 once the statutory month has come, and not before', () => {
    // 1965-01 male: 60岁1个月 → 2025-02
    expect(precheck({ birth: '1965-01', sex: 'male', identity: 'worker', contributionMonths: 200 }, [], '2025-02')).toMatchObject({ possibleNow: true, route: 'normal' });
    const early = precheck({ birth: '1965-01', sex: 'male', identity: 'worker' }, [], '2025-01');
    expect(early.possibleNow).toBe(false);
    expect(early.routes[0]!.reasons[0]).toContain('2025年2月');
  });

  it('should offer flexible early retirement only with the minimum contribution met', () => {
    // 1970-01 male: 61岁4个月 → 2031-05; up to 36 months early but never before 60 → 2030-01
    const met = precheck({ birth: '1970-01', sex: 'male', identity: 'worker', contributionMonths: 240 }, [], '2026-01');
    expect(met.statutory.retireAt).toBe('2031-05');
    expect(met.earliest).toBe('2030-01');
    expect(met.minContributionMonths).toBe(186); // retiring in 2030: 180 + 6
    expect(met.contributionMet).toBe(true);
    const short = precheck({ birth: '1970-01', sex: 'male', identity: 'worker', contributionMonths: 100 }, [], '2031-03');
    expect(short.earliest).toBe('2031-05');
    expect(short.possibleNow).toBe(false);
    expect(short.contributionMet).toBe(false);
    expect(short.routes[0]!.reasons.join()).toContain('最低缴费年限');
  });

  it('should allow 特殊工种 early retirement at 55 with enough years in the job, and say what is missing', () => {
    const ok = precheck({ birth: '1970-06', sex: 'male', identity: 'worker', specialWorkType: 'underground', specialWorkYears: 9, contributionMonths: 300 }, [], '2025-06');
    expect(ok).toMatchObject({ possibleNow: true, route: 'special-work', earliest: '2025-06' });
    const few = precheck({ birth: '1970-06', sex: 'male', identity: 'worker', specialWorkType: 'highAltitude', specialWorkYears: 1, contributionMonths: 300 }, [], '2025-06');
    expect(few.possibleNow).toBe(false);
    expect(few.routes.find((r) => r.route === 'special-work')!.reasons.join()).toContain('累计须满10年');
  });

  it('should allow 因病 early retirement only with a 劳动能力鉴定', () => {
    const base: PrecheckAnswers = { birth: '1974-03', sex: 'male', identity: 'worker', contributionMonths: 300 };
    expect(precheck({ ...base, disabilityAppraisal: true }, [], '2025-03')).toMatchObject({ possibleNow: true, route: 'illness' });
    const none = precheck({ ...base, disabilityAppraisal: false }, [], '2025-03');
    expect(none.possibleNow).toBe(false);
    expect(none.routes.find((r) => r.route === 'illness')!.reasons.join()).toContain('劳动能力鉴定');
  });

  it('should refuse unusable answers naming the field', () => {
    expect(precheckErrors({ idNumber: '341502196501150038', identity: 'worker' }).map((e) => e.path)).toEqual(['idNumber']);
    expect(precheckErrors({ identity: 'worker' }).map((e) => e.path)).toEqual(['birth', 'sex']);
    expect(precheckErrors({ birth: '1970-01', sex: 'male', identity: 'worker', contributionMonths: -1 }).map((e) => e.path)).toEqual(['contributionMonths']);
    expect(() => precheck({ identity: 'worker' }, [], '2026-01')).toThrow(RangeError);
  });
});

describe('precheck: the personal 一次告知书 from the shipped manifests', () => {
  const luan = loadCity('luan').matters[0]!.linkedItems as MatterLinkedItem[];
  const changzhou = loadCity('changzhou').matters[0]!.linkedItems as MatterLinkedItem[];
  const names = (items: MatterLinkedItem[], a: PrecheckAnswers, today = '2026-01') => precheck(a, items, today).materials.map((m) => m.name);

  it('should list the unit route with the archive, once each', () => {
    expect(names(luan, { birth: '1965-01', sex: 'male', identity: 'worker', hasArchive: true })).toEqual([
      '参保单位办理职工退休手续的请示', '职工本人社会保障卡', '《拟退休（退职）人员申请表》', '职工人事档案',
    ]);
  });

  it('should list the flexible-employment special-work route without the unit letter', () => {
    expect(names(luan, { birth: '1970-06', sex: 'male', identity: 'flexible', specialWorkType: 'underground', specialWorkYears: 9, hasArchive: false }, '2025-06')).toEqual([
      '本人社会保障卡（代办另需提供代办人身份证件）', '《拟退休（退职）人员申请表》', '职工人事档案', '提前退休公示材料', '特殊工种提前退休申请书',
    ]);
  });

  it('should ask for the 光荣证 only from a holder', () => {
    expect(names(changzhou, { birth: '1965-01', sex: 'male', identity: 'worker', onlyChildCertificate: true })).toEqual(['独生子女父母光荣证']);
    expect(names(changzhou, { birth: '1965-01', sex: 'male', identity: 'worker', onlyChildCertificate: false })).toEqual([]);
  });
});
