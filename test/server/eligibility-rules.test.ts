/**
 * The form rules of issue #19 through the API: 二者必选其一 (六安), eligibility (常州 附件3 正常退休 /
 * 因病退休 / 因病退职, 附件4 特殊工种), materials required by the answers (六安 人事档案, 提前退休 kind),
 * the explicit 灵活就业 question for 常州 women, and the task-only 附件5 refused as an application.
 * Each rule: a valid submission is accepted (201), an invalid one refused 422 naming the field
 * and the rule's code. Fictitious people (DOMAIN.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCity } from '@lianban/templates';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

type Data = Record<string, unknown>;
const example = (city: 'luan' | 'changzhou', form: string) => loadCity(city).forms.find((f) => f.key === form)!.example as Data;
const LUAN_UNIT = example('luan', 'luan-retirement-unit');
const CZ3 = example('changzhou', 'changzhou-retirement');
const CZ4 = example('changzhou', 'changzhou-retirement-special');
const CZ5 = example('changzhou', 'changzhou-socialized-info');
const APPRAISAL = [{ name: '劳动能力鉴定书.pdf', material: 'disability-appraisal' }];

describe('eligibility and one-of rules through POST /cases', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
  });
  afterAll(async () => { await s?.close(); });

  const submit = async (user: string, matter: string, form: string, data: Data, draft = false) => {
    const agent = await s.login(user);
    return agent.post('/api/v1/cases').send({ matter, form, data, ...(draft ? { draft: true } : {}) });
  };
  const luan = (data: Data) => submit('luan.applicant', 'luan-retirement', 'luan-retirement-unit', data);
  const cz = (form: string, data: Data) => submit('changzhou.applicant', 'changzhou-retirement', form, data);
  const refusal = (res: { status: number; body: { error: { code: string; errors: { path: string; code: string; message: string }[] } } }) => {
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid');
    return res.body.error.errors;
  };

  describe('六安 二者必选其一', () => {
    it('should accept 正常退休 = 是', async () => {
      expect((await luan(LUAN_UNIT)).status).toBe(201);
    });

    it('should refuse 正常退休 = 否 and 提前退休(退职) = 否, naming the field and the rule', async () => {
      const errors = refusal(await luan({ ...LUAN_UNIT, retirementNormal: false, retirementEarly: false, normalMaterials: undefined }));
      expect(errors).toEqual([{ path: 'retirementEarly', code: 'one-of', message: expect.stringContaining('职工正常退休与职工提前退休(退职)二者必选其一') }]);
    });
  });

  describe('六安 materials by the answers', () => {
    const early = { ...LUAN_UNIT, retirementNormal: false, retirementEarly: true, normalMaterials: undefined };

    it('should accept 特殊工种 提前退休 with its application and 因病 with the appraisal', async () => {
      const special = await luan({ ...early, earlyKind: '特殊工种提前退休', earlyMaterials: [{ name: '申请表.pdf', material: 'retire-application' }, { name: '特殊工种申请书.pdf', material: 'special-work-application' }] });
      expect(special.status).toBe(201);
      const illness = await luan({ ...early, earlyKind: '因病或非因工致残提前退休', earlyMaterials: [{ name: '申请表.pdf', material: 'retire-application' }, { name: '鉴定书.pdf', material: 'disability-appraisal' }] });
      expect(illness.status).toBe(201);
    });

    it('should refuse 特殊工种 提前退休 without 特殊工种提前退休申请书 and ask for the kind of early retirement', async () => {
      const missing = refusal(await luan({ ...early, earlyKind: '特殊工种提前退休', earlyMaterials: [{ name: '申请表.pdf', material: 'retire-application' }] }));
      expect(missing).toEqual([{ path: 'earlyMaterials', code: 'material-required', message: '请提交特殊工种提前退休申请书' }]);
      const noKind = refusal(await luan({ ...early, earlyMaterials: [{ name: '申请表.pdf', material: 'retire-application' }] }));
      expect(noKind.map((e) => [e.path, e.code])).toEqual([['earlyKind', 'required']]);
    });

    it('should require 《拟退休（退职）人员申请表》 and, with a personnel file, 职工人事档案', async () => {
      const noForm = refusal(await luan({ ...LUAN_UNIT, normalMaterials: undefined }));
      expect(noForm.map((e) => [e.path, e.code])).toEqual([['normalMaterials', 'required']]);
      const withFile = refusal(await luan({ ...LUAN_UNIT, hasPersonnelFile: true }));
      expect(withFile).toEqual([{ path: 'normalMaterials', code: 'material-required', message: '请提交职工人事档案' }]);
      const handedIn = await luan({ ...LUAN_UNIT, hasPersonnelFile: true, normalMaterials: [...(LUAN_UNIT.normalMaterials as Data[]), { name: '人事档案.pdf', material: 'personnel-file' }] });
      expect(handedIn.status).toBe(201);
    });
  });

  describe('常州 附件3 正常退休 against the statutory month', () => {
    it('should accept the statutory month', async () => {
      expect((await cz('changzhou-retirement', CZ3)).status).toBe(201);
    });

    it('should refuse a 正常退休 date 8 years early, saying the statutory month', async () => {
      const errors = refusal(await cz('changzhou-retirement', { ...CZ3, retireAt: '2018-07' }));
      expect(errors).toEqual([{ path: 'retireAt', code: 'eligibility.before-statutory', message: expect.stringContaining('按现行政策，您的法定退休年月为 2026年7月') }]);
    });
  });

  describe('常州 附件3 因病退休 / 因病退职', () => {
    it('should accept 因病退休 at 58 with the appraisal', async () => {
      expect((await cz('changzhou-retirement', { ...CZ3, retireType: '因病退休', retireAt: '2024-05', illnessAppraisal: APPRAISAL })).status).toBe(201);
    });

    it('should refuse 因病退休 at 48 with the earliest month, and 因病退职 for one old enough to retire', async () => {
      const young = refusal(await cz('changzhou-retirement', { ...CZ3, retireType: '因病退休', retireAt: '2014-05', illnessAppraisal: APPRAISAL }));
      expect(young).toEqual([{ path: 'retireAt', code: 'eligibility.illness-age', message: expect.stringContaining('您最早可于 2016年3月 退休') }]);
      const old = refusal(await cz('changzhou-retirement', { ...CZ3, retireType: '因病退职', retireAt: '2024-05', illnessAppraisal: APPRAISAL }));
      expect(old.map((e) => [e.path, e.code])).toEqual([['retireAt', 'eligibility.eligible-for-retirement']]);
    });

    it('should refuse 因病退休 without the 劳动能力鉴定书', async () => {
      const errors = refusal(await cz('changzhou-retirement', { ...CZ3, retireType: '因病退休', retireAt: '2024-05' }));
      expect(errors.map((e) => [e.path, e.code])).toEqual([['illnessAppraisal', 'required']]);
    });
  });

  describe('常州 附件4 特殊工种提前退休', () => {
    it('should accept 12 years of 高温 work at 55', async () => {
      expect((await cz('changzhou-retirement-special', CZ4)).status).toBe(201);
    });

    it('should refuse 1 year of special work at 48, saying what is missing', async () => {
      const errors = refusal(await cz('changzhou-retirement-special', { ...CZ4, retireAt: '2019-07', specialWorkYears: 1 }));
      expect(errors).toEqual([
        { path: 'retireAt', code: 'eligibility.special-work-age', message: '特殊工种提前退休须年满55周岁，您最早可于 2026年6月 退休' },
        { path: 'retireAt', code: 'eligibility.special-work-years', message: '从事高温工作累计须满9年方可特殊工种提前退休，您填写的是1年' },
      ]);
    });
  });

  describe('常州 women: 灵活就业 asked, not guessed from 工人', () => {
    // 1970-05 woman, 工人 / 非管理技术岗位: 50 as an employee (2020-05), 55岁2个月 in flexible employment (2025-07)
    const woman = { ...CZ3, idNumber: '32040219700520002X', gender: 'female', birthMonth: '1970-05', statutoryAge: undefined, statutoryRetireMonth: undefined };

    it('should require the answer from a woman and classify her by it', async () => {
      const unanswered = refusal(await cz('changzhou-retirement', { ...woman, retireAt: '2025-07' }));
      expect(unanswered.map((e) => [e.path, e.code])).toEqual([['flexibleEmployment', 'required']]);
      const flexible = await cz('changzhou-retirement', { ...woman, flexibleEmployment: true, retireAt: '2025-07' });
      expect(flexible.status).toBe(201);
      const stored = (await (await s.login('changzhou.applicant')).get(`/api/v1/cases/${flexible.body.id}`).expect(200)).body;
      expect(stored.data).toMatchObject({ statutoryAge: '55岁2个月', statutoryRetireMonth: '2025-07', flexibleEmployment: true });
    });

    it('should refuse a flexible-employment woman retiring at 50 as 正常退休', async () => {
      const errors = refusal(await cz('changzhou-retirement', { ...woman, flexibleEmployment: true, retireAt: '2020-05' }));
      expect(errors).toEqual([{ path: 'retireAt', code: 'eligibility.before-statutory', message: expect.stringContaining('2025年7月') }]);
    });
  });

  describe('常州 附件5 is a task form', () => {
    it('should refuse it as the application form, as submission and as draft', async () => {
      for (const draft of [false, true]) {
        const res = await submit('changzhou.applicant', 'changzhou-retirement', 'changzhou-socialized-info', CZ5, draft);
        expect(res.status).toBe(422);
        expect(res.body.error).toMatchObject({ code: 'not-an-application-form', errors: [{ path: 'form', code: 'not-an-application-form' }] });
        expect(res.body.error.message).toContain('不能用来申请');
      }
    });
  });
});
