/**
 * The shipped forms against the printed forms of the seed documents. Each form has an inventory
 * transcribed from the seed: every printed label, option and note in printed order (`T` title,
 * `O` option, `X` text). The test checks the inventory against the seed text itself (so a typo
 * in the inventory fails too) and then finds it, in order, in what the schema shows.
 */
import { describe, expect, it } from 'vitest';
import { checkFormSchema, resultFields, toFormilySchema, walkSchema, type FieldSchema } from '@lianban/runtime';
import { compileValidator } from '@lianban/runtime/validate';
import {
  asSchema, between, CHANGZHOU_SEED, city, type Expected, form, LUAN_SEED, LINKED_ITEMS, missingInOrder, squash, tokens,
} from './helpers';

const SUP = '系统补充项';
const yesNo = (label: string): Expected[] => [['T', label], ['O', '是'], ['O', '否']];

// ---- 六安 附件1 -------------------------------------------------------------------------------

const LUAN_TITLE = '企业职工退休“一件事一次办”申请表（2023版）';
const PROMISE = '承诺提交的所有材料真实、合法、有效。并承诺对因提交虚假材料引发的后果承担相应法律责任。如有重复领取待遇的，按有关政策、法规处理。';
const LUAN_EARLY = '《拟退休（退职）人员申请表》、职工人事档案、提前退休公示材料、特殊工种提前退休申请书、因病或非因工伤残完全丧失劳动能力鉴定书。';

/** The service-item table (the print's 需要办理 is a tick box □: a yes/no field here) (columns, rows, materials), with the wording the two versions print differently. */
const luanTable = (required: string, medical: string): Expected[] => [
  ['X', '服务事项名称'], ['X', '需要办理'], ['X', '所需材料'], ['X', '必需提供'], ['X', '依申请提供'],
  ['T', '职工正常退休'], ['T', '需要办理'], ['T', '必需提供'], ['X', required],
  ['T', '依申请提供'], ['X', '1.有职工人事档案的：《拟退休（退职）人员申请表》、职工人事档案。'], ['X', '2.无职工人事档案的：《拟退休（退职）人员申请表》。'],
  ['T', '职工提前退休(退职)'], ['T', '需要办理'], ['T', '依申请提供'], ['X', LUAN_EARLY],
  ['T', medical], ['T', '需要办理'], ['T', '依申请提供'], ['X', '无需材料'],
  ['T', '退休职工住房公积金提取'], ['T', '需要办理'], ['T', '依申请提供'], ['X', '无需材料'],
  ['X', PROMISE],
];

const LUAN_UNIT: Expected[] = [
  ['T', LUAN_TITLE],
  ['T', '单位名称'], ['T', '单位地址'], ['T', '代办人'], ['T', '联系电话'],
  ...luanTable('参保单位办理职工退休手续的请示、职工本人社会保障卡', '职工医疗保险在职转退休'),
  ['T', '代办人：（签名）'], ['X', '年月日'],
  ['T', '注'], ['X', '1.本表供参保单位申报职工退休使用，由法人单位代办人填写。'], ['X', '2.申报多项业务时，存在重复申报资料的，仅需提交一份。'],
];

const LUAN_FLEXIBLE: Expected[] = [
  ['T', LUAN_TITLE],
  ['T', '申请人'], ['T', '居民身份证号码（社会保障号码）'], ['T', '联系地址'], ['T', '联系电话'],
  ...luanTable('本人社会保障卡（代办另需提供代办人身份证件）', '职工医疗保险在职转退休（参保人员在职转退休）'),
  ['T', '申请人/代办人：（签名）'], ['X', '年月日'],
  ['T', '注'], ['X', '1.本表供灵活就业人员退休使用，由本人或代办人填写。'], ['X', '2.申报多项业务时，存在重复申报资料的，仅需提交一份。'],
];

// ---- 常州 附件3 / 附件4 ---------------------------------------------------------------------

const czHead = (title: string): Expected[] => [
  ['T', title],
  ['T', '退休审批事项'],
  ['T', '单位全称'], ['T', '单位编号'], ['T', '个人编号'], ['T', '姓名'], ['T', '公民身份号码（社会保障号）'],
  ['T', '性别'], ['T', '民族'], ['T', '本人身份'], ['O', '干部'], ['O', '工人'], ['X', '本人身份是指干部或工人。'],
  ['T', '岗位性质'], ['O', '管理技术岗位'], ['O', '非管理技术岗位'], ['X', '岗位性质是指管理技术岗位或非管理技术岗位。'],
  ['T', '户籍地址'], ['T', '本人手机'], ['T', '出生年月'], ['T', '参加工作或起始参保缴费时间'], ['T', '退休时间'],
];
const czInterruptions: Expected[] = [['T', '参加工作起至实际缴费前中断时间及原因'], ['X', '中断时间'], ['X', '中断时间'], ['T', '中断原因']];
const czWork: Expected[] = [['T', '工作简历'], ['X', '起止时间'], ['X', '起止时间'], ['T', '何单位任何职务（工种）'], ...yesNo('是否是军转干部'), ...yesNo('是否是高级职称')];
const czNotes = (notes: string[]): Expected[] => [['T', '说明'], ...notes.map((n): Expected => ['X', n])];

const CZ3_NOTES = ['此表由办理正常退休、因病退休、因病退职的参保人员填写。', '本人身份是指干部或工人。', '岗位性质是指管理技术岗位或非管理技术岗位。',
  '灵活就业人员的退休时间指人力资源社会保障行政部门批准从次月领取基本养老金的时间。', '退休类别是指正常退休、因病退休、因病退职。',
  '此表一式三份，一份存入参保人员档案，人力资源社会保障行政部门和经办机构各一份。'];
const CZ4_NOTES = ['此表由申请特殊工种提前退休的参保人员填写。', '本人身份是指干部或工人。', '岗位性质是指管理技术岗位或非管理技术岗位。',
  '此表一式三份，一份存入参保人员档案，人力资源社会保障行政部门和经办机构各一份。'];

const CZ3: Expected[] = [
  ...czHead('退休“一件事”申请表'),
  ['X', '灵活就业人员的退休时间指人力资源社会保障行政部门批准从次月领取基本养老金的时间。'],
  ['T', '退休类别'], ['O', '正常退休'], ['O', '因病退休'], ['O', '因病退职'], ['X', '退休类别是指正常退休、因病退休、因病退职。'],
  ['T', '法定退休年龄'],
  ...czInterruptions, ...czWork,
  ['T', '联办事项'], ...yesNo('是否纳入社会化管理'), ...yesNo('是否申请办理在职医保转退休医保'), ...yesNo('是否申请提取住房公积金'), ...yesNo('是否需要打印纸质退休证'),
  ['T', '其他'], ...yesNo('是否持有独生子女父母光荣证'),
  ...czNotes(CZ3_NOTES),
];

const CZ4: Expected[] = [
  ...czHead('退休“一件事”申请表（特殊工种提前退休）'),
  ['T', '退休类别'], ['T', '法定退休年龄'],
  ...czInterruptions,
  ['T', '退休前累计从事特殊工作的工作年限'], ['T', '其中：1991年底前特殊工种折算缴费年限'],
  ...czWork,
  ['T', '联办事项'], ...yesNo('是否纳入社会化管理'), ...yesNo('是否申请办理在职医保转退休医保'), ...yesNo('是否申请提取住房公积金'),
  ...yesNo('申领的社会保障卡是否需要寄送'), ...yesNo('是否需要打印纸质退休证'),
  ['T', '其他'], ...yesNo('是否持有独生子女父母光荣证'),
  ...czNotes(CZ4_NOTES),
];

// ---- 常州 附件5 -----------------------------------------------------------------------------

const address: Expected[] = [['T', '居住地址'], ['X', '省'], ['X', '市'], ['X', '县(市区)']];
const contact = (n: number): Expected[] => [
  ['T', `家庭成员或联系人${n}`], ['T', '姓名'], ['T', '与其关系'], ['O', '子女'], ['O', '父母'], ['O', '其他'],
  ...address, ['T', '联系电话'], ['T', '邮政编码'],
];
const CZ5: Expected[] = [
  ['T', '企业退休人员社会化管理服务基本信息采集表'],
  ['T', '社会化管理服务所属机构'], ['X', '市'], ['X', '县（市区）'], ['X', '街道（乡镇）'], ['X', '社区（村）'],
  ['T', '基本情况'], ['T', '姓名'], ['T', '性别'], ['T', '出生年月'], ['X', '年月'], ['T', '公民身份号码（社会保障号）'],
  ['T', '政治面貌'], ['T', '学历'], ['T', '健康状况'], ['O', '正常'], ['O', '重病'],
  ['T', '单位全称'], ['T', '档案存放地点'],
  ['T', '兴趣爱好（可多选）'], ...['运动健身', '文艺表演', '棋牌', '书画', '摄影', '垂钓', '收藏', '文学创作', '手工艺制作', '旅游', '公益', '其他'].map((o): Expected => ['O', o]),
  ['T', '特殊人员情况'], ['O', '劳模'], ['O', '鳏寡孤独'], ['O', '特困'], ['O', '重病'],
  ['T', '家庭情况'], ['T', '居住情况'],
  ['T', '常年居住区域'], ...['本市本统筹区', '本市非本统筹区', '本省外市', '省外', '港澳台', '国外'].map((o): Expected => ['O', o]),
  ...address, ['T', '联系电话'], ['T', '邮政编码'],
  ['T', '配偶情况'], ['T', '姓名'], ['T', '出生年月'], ['T', '联系电话'], ['T', '健康状况'], ['O', '正常'], ['O', '重病'],
  ['T', '单位全称'], ['T', '目前状况'], ['O', '在职'], ['O', '无职业'], ['O', '离退休'],
  ...contact(1), ...contact(2),
  ['T', '填表单位（盖章）或填表人（签名）'], ['X', '年月日'], ['T', '填表单位联系人'], ['T', '联系电话'],
];

interface Case {
  city: 'luan' | 'changzhou';
  key: string;
  /** The printed form in the seed (squashed). */
  printed: string;
  expected: Expected[];
  /** Section headings the system adds for grouping (no data, no printed label). */
  headings: string[];
}

const LUAN_UNIT_PRINT = between(LUAN_SEED, LUAN_TITLE, LUAN_TITLE, 1);
const LUAN_FLEX_PRINT = between(LUAN_SEED, LUAN_TITLE, '附件2', 2);
const CASES: Case[] = [
  { city: 'luan', key: 'luan-retirement-unit', printed: LUAN_UNIT_PRINT, expected: LUAN_UNIT, headings: ['服务事项', '承诺'] },
  { city: 'luan', key: 'luan-retirement-flexible', printed: LUAN_FLEX_PRINT, expected: LUAN_FLEXIBLE, headings: ['服务事项', '承诺'] },
  { city: 'changzhou', key: 'changzhou-retirement', printed: between(CHANGZHOU_SEED, '附件3', '附件4'), expected: CZ3, headings: [] },
  { city: 'changzhou', key: 'changzhou-retirement-special', printed: between(CHANGZHOU_SEED, '附件4', '附件5'), expected: CZ4, headings: [] },
  { city: 'changzhou', key: 'changzhou-socialized-info', printed: between(CHANGZHOU_SEED, '附件5'), expected: CZ5, headings: [] },
];

/** Task forms declaring the results of linked items (issue 20): no printed form in the seed; checked below and in test/server/results.test.ts. */
const RESULT_FORMS = ['changzhou-certificate-result', 'changzhou-housing-fund-result', 'changzhou-medical-result', 'changzhou-pension-result'];
const LUAN_RESULT_FORMS = ['luan-housing-fund-result', 'luan-medical-result'];

describe('result forms', () => {
  it.each([...RESULT_FORMS, ...LUAN_RESULT_FORMS])('%s should follow the conventions, accept its example and declare its result fields', (key) => {
    const f = form(key.startsWith('luan') ? 'luan' : 'changzhou', key);
    const schema = asSchema(f);
    expect(checkFormSchema(schema)).toEqual([]);
    expect((schema['x-form'] as { id: string }).id).toBe(key);
    const r = compileValidator(schema).validate(f.example);
    expect(r.errors).toEqual([]);
    expect(resultFields(schema).length).toBeGreaterThan(0);
  });
});

describe('template forms', () => {
  it('should ship exactly the five forms of the brief, each with an example', () => {
    expect(city('luan').forms.filter((f) => !LUAN_RESULT_FORMS.includes(f.key)).map((f) => f.key).sort()).toEqual(['luan-retirement-flexible', 'luan-retirement-unit']);
    expect(city('changzhou').forms.filter((f) => !RESULT_FORMS.includes(f.key)).map((f) => f.key).sort()).toEqual(['changzhou-retirement', 'changzhou-retirement-special', 'changzhou-socialized-info']);
  });

  describe.each(CASES)('$key', ({ city: cityKey, key, printed, expected, headings }) => {
    const f = form(cityKey, key);
    const schema = asSchema(f);

    it('should follow the schema conventions', () => {
      expect(checkFormSchema(schema)).toEqual([]);
      expect((schema['x-form'] as { id: string }).id).toBe(key);
    });

    it('should accept its example submission, derived values included', () => {
      const r = compileValidator(schema).validate(f.example);
      expect(r.errors).toEqual([]);
      expect(r.valid).toBe(true);
      // The example already carries the values the server derives (nothing dropped or changed but hidden fields).
      for (const [k, v] of Object.entries(r.value)) expect(v, k).toEqual(f.example[k]);
    });

    it('should have an inventory that is printed in the seed document', () => {
      const notInSeed = expected.filter(([, text]) => !printed.includes(squash(text))).map(([, t]) => t);
      expect(notInSeed).toEqual([]);
    });

    it('should show every printed label, option and note in the printed order', () => {
      expect(missingInOrder(tokens(schema), expected)).toEqual([]);
    });

    it('should mark every field the print does not have as 系统补充项', () => {
      const printedLabels = expected.filter(([k, t]) => k === 'T' || (k === 'X' && squash(t).length >= 3)).map(([, t]) => squash(t));
      const markedSections: string[] = [];
      const unmarked: string[] = [];
      for (const n of walkSchema(schema)) {
        const s = n.schema;
        const type = s['x-field-type'];
        if (type === 'help') continue;
        const title = squash(s.title ?? '');
        const marked = (s.description ?? '').startsWith(SUP);
        if (type === 'section' && marked) markedSections.push(`${n.schemaPath}.`);
        const inMarkedSection = markedSections.some((prefix) => n.schemaPath.startsWith(prefix));
        const isPrinted = printedLabels.some((l) => title.includes(l));
        if (!isPrinted && !marked && !inMarkedSection && !(type === 'section' && headings.includes(s.title ?? ''))) unmarked.push(`${n.key}:${s.title}`);
      }
      expect(unmarked).toEqual([]);
    });

    it('should show applicants help, not the author\'s notes (the print, the repository)', () => {
      // what the compiled form carries: every description and every component's and cell's props
      const shown: string[] = [];
      const collect = (s: FieldSchema) => {
        for (const text of [s.description, s['x-decorator-props']?.description, s['x-component-props']?.description]) if (typeof text === 'string') shown.push(text);
        for (const child of [...Object.values(s.properties ?? {}), ...(s.items ? [s.items] : [])]) collect(child);
      };
      collect(toFormilySchema(schema).schema);
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.filter((d) => /印刷表|系统补充|templates\/|README/.test(d))).toEqual([]);
    });

    it('should mark opt-in fields with the linked-item keys of API.md (string form)', () => {
      const marks = walkSchema(schema).filter((n) => n.schema['x-linked-item'] !== undefined);
      for (const n of marks) {
        expect(typeof n.schema['x-linked-item']).toBe('string');
        expect(LINKED_ITEMS[cityKey]).toContain(n.schema['x-linked-item']);
        expect(n.schema['x-field-type']).toBe('yesNo');
      }
    });
  });
});

describe('template forms: details the print asks for', () => {
  const fieldOf = (schema: FieldSchema, key: string) => walkSchema(schema).find((n) => n.key === key)!.schema;

  it('should make exactly the 附件5 fields with * required', () => {
    // given: the starred labels are printed as such
    const printed = between(CHANGZHOU_SEED, '附件5');
    for (const star of ['姓名*', '公民身份号码（社会保障号）*', '政治面貌*', '健康状况*', '居住情况*', '家庭成员或联系人1*']) expect(printed).toContain(star);
    const schema = asSchema(form('changzhou', 'changzhou-socialized-info'));

    // then
    const required = ['name', 'idNumber', 'politicalStatus', 'health', 'residenceArea', 'residenceAddress', 'residencePhone',
      'contact1Name', 'contact1Relation', 'contact1Region', 'contact1Address', 'contact1Phone'];
    for (const k of required) expect(fieldOf(schema, k).required, k).toBe(true);
    const optional = ['serviceOrg', 'gender', 'birthMonth', 'education', 'unitName', 'archiveLocation', 'hobbies', 'specialStatus',
      'spouseName', 'spouseBirthMonth', 'spousePhone', 'spouseHealth', 'spouseUnit', 'spouseStatus', 'contact2Name', 'contact2Phone'];
    for (const k of optional) expect(fieldOf(schema, k).required, k).toBeFalsy();
    expect(fieldOf(schema, 'serviceOrg')['x-region-levels']).toBe(5);
    expect(fieldOf(schema, 'hobbies')['x-field-type']).toBe('checkbox');
  });

  it('should ask for contact 2 details only once its name is given', () => {
    const f = form('changzhou', 'changzhou-socialized-info');
    const v = compileValidator(asSchema(f));
    expect(v.validate({ ...f.example, contact2Name: '赵小例' }).errors.map((e) => e.path).sort())
      .toEqual(['contact2Address', 'contact2Phone', 'contact2Region', 'contact2Relation']);
  });

  it('should compute birth month, gender and statutory age from the ID number and reject a tampered value', () => {
    const f = form('changzhou', 'changzhou-retirement');
    const v = compileValidator(asSchema(f));
    const { gender: _g, birthMonth: _b, statutoryAge: _s, statutoryRetireMonth: _m, ...typed } = f.example;
    const r = v.validate(typed);
    expect(r.valid).toBe(true);
    expect(r.value).toMatchObject({ gender: 'male', birthMonth: '1966-03', statutoryAge: '60岁4个月', statutoryRetireMonth: '2026-07' });
    expect(v.validate({ ...f.example, statutoryAge: '55岁' }).errors.map((e) => e.path)).toEqual(['statutoryAge']);
    // a female cadre is f55: 1970-09 → 55岁3个月
    const woman = v.validate({ ...typed, idNumber: '32040419700903042X', identity: '干部' });
    expect(woman.value).toMatchObject({ gender: 'female', statutoryAge: '55岁3个月', statutoryRetireMonth: '2025-12' });
  });

  it('should ask for the appraisal certificate for 因病退休/因病退职 and the 光荣证 when held', () => {
    const f = form('changzhou', 'changzhou-retirement');
    const v = compileValidator(asSchema(f));
    expect(v.validate({ ...f.example, retireType: '因病退休' }).errors.map((e) => e.path)).toEqual(['illnessAppraisal']);
    const { onlyChildCertificateFile: _f, ...withoutFile } = f.example;
    expect(v.validate(withoutFile).errors.map((e) => e.path)).toEqual(['onlyChildCertificateFile']);
  });

  it('should let 六安 applicants tick either 正常退休 or 提前退休(退职), never both', () => {
    const f = form('luan', 'luan-retirement-unit');
    const v = compileValidator(asSchema(f));
    const earlyMaterials = [{ name: '申请表.pdf', material: 'retire-application' }, { name: '鉴定书.pdf', material: 'disability-appraisal' }];
    const early = v.validate({ ...f.example, retirementNormal: false, retirementEarly: true, earlyKind: '因病或非因工致残提前退休', normalMaterials: undefined, earlyMaterials });
    expect(early.errors).toEqual([]);
    expect(v.validate({ ...f.example, retirementNormal: false }).errors.map((e) => e.path)).toEqual(['retirementEarly']);
    // 二者必选其一: neither ticked is refused on 提前退休's field, naming both items
    expect(v.validate({ ...f.example, retirementNormal: false, retirementEarly: false }).errors)
      .toEqual([{ path: 'retirementEarly', code: 'one-of', message: expect.stringContaining('二者必选其一') }]);
    // ticking both: the early tick is hidden and dropped, so only 正常退休 is requested
    const both = v.validate({ ...f.example, retirementEarly: true });
    expect(both.value.retirementEarly).toBeUndefined();
    expect(both.hidden).toContain('retirementEarly');
  });

  it('should list 六安 materials per item as 必需提供 / 依申请提供', () => {
    const schema = asSchema(form('luan', 'luan-retirement-unit'));
    expect(fieldOf(schema, 'requiredMaterials')['x-materials']!.map((m) => [m.name, m.need])).toEqual([
      ['参保单位办理职工退休手续的请示', 'always'], ['职工本人社会保障卡', 'always'],
    ]);
    expect(fieldOf(schema, 'earlyMaterials')['x-materials']!.map((m) => m.name)).toEqual([
      '《拟退休（退职）人员申请表》', '职工人事档案', '提前退休公示材料', '特殊工种提前退休申请书', '因病或非因工伤残完全丧失劳动能力鉴定书',
    ]);
    expect(fieldOf(schema, 'earlyMaterials')['x-materials']!.every((m) => m.need === 'on-request')).toBe(true);
  });

  it('should require the agent ID document when a flexible-employment applicant uses an agent', () => {
    const f = form('luan', 'luan-retirement-flexible');
    const v = compileValidator(asSchema(f));
    expect(v.validate({ ...f.example, byAgent: true }).errors.map((e) => e.path)).toEqual(['agentIdDocument']);
  });
});
