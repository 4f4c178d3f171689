/**
 * The showcase form: 常州 附件3 (退休"一件事"申请表) field by field, plus the parts of 附件4/5
 * and the 六安 item table that exercise the remaining field types and rule kinds. Used by the
 * portal's /showcase page, the browser test, the server-validator test and the bench; also a
 * worked example for template authors. Test data uses fictitious IDs (DOMAIN.md samples).
 */
import type { FieldSchema, FormSchema } from '../types';

const yesNo = (title: string, extra: Partial<FieldSchema> = {}): FieldSchema => ({ type: 'boolean', title, 'x-field-type': 'yesNo', ...extra });
const text = (title: string, extra: Partial<FieldSchema> = {}): FieldSchema => ({ type: 'string', title, maxLength: 100, 'x-field-type': 'text', ...extra });
const ym = (title: string, extra: Partial<FieldSchema> = {}): FieldSchema => ({ type: 'string', title, 'x-field-type': 'yearMonth', ...extra });
const options = (...values: string[]) => values.map((v) => ({ label: v, value: v }));

export const LIUAN_SERVICES = ['职工正常退休', '职工提前退休(退职)', '职工医疗保险在职转退休', '退休职工住房公积金提取'];

export const showcaseSchema: FormSchema = {
  type: 'object',
  title: '退休“一件事”申请表',
  'x-form': {
    id: 'showcase-changzhou',
    version: 1,
    printNote: '此表一式三份，一份存入参保人员档案，人力资源社会保障行政部门和经办机构各一份。',
  },
  properties: {
    approval: {
      type: 'void', title: '退休审批事项', 'x-field-type': 'section',
      properties: {
        unitName: text('单位全称', { required: true, 'x-span': 2 }),
        unitCode: text('单位编号'),
        unitCreditCode: { type: 'string', title: '统一社会信用代码', 'x-field-type': 'creditCode', description: '系统补充项：用于与单位信息核对' },
        personNo: text('个人编号'),
        name: text('姓名', { required: true, maxLength: 30 }),
        idNumber: { type: 'string', title: '公民身份号码（社会保障号）', required: true, 'x-field-type': 'idNumber' },
        gender: {
          type: 'string', title: '性别', 'x-field-type': 'select', enum: [{ label: '男', value: 'male' }, { label: '女', value: 'female' }],
          'x-compute': { compute: 'genderFromId', from: { id: 'idNumber' } },
        },
        ethnicity: { type: 'string', title: '民族', 'x-field-type': 'select', enum: options('汉族', '回族', '满族', '蒙古族', '壮族', '其他') },
        identity: { type: 'string', title: '本人身份', required: true, 'x-field-type': 'radio', enum: options('干部', '工人'), description: '本人身份是指干部或工人。' },
        postNature: { type: 'string', title: '岗位性质', required: true, 'x-field-type': 'radio', enum: options('管理技术岗位', '非管理技术岗位'), description: '岗位性质是指管理技术岗位或非管理技术岗位。' },
        address: text('户籍地址', { 'x-span': 2, maxLength: 200 }),
        mobile: { type: 'string', title: '本人手机', required: true, 'x-field-type': 'mobile' },
        postcode: { type: 'string', title: '邮政编码', 'x-field-type': 'postcode' },
        birthMonth: ym('出生年月', { 'x-compute': { compute: 'birthMonthFromId', from: { id: 'idNumber' } } }),
        workStart: ym('参加工作或起始参保缴费时间', { required: true }),
        retireAt: ym('退休时间', { required: true, description: '灵活就业人员的退休时间指人力资源社会保障行政部门批准从次月领取基本养老金的时间。' }),
        retireType: { type: 'string', title: '退休类别', required: true, 'x-field-type': 'radio', enum: options('正常退休', '因病退休', '因病退职'), description: '退休类别是指正常退休、因病退休、因病退职。' },
        statutoryAge: {
          type: 'string', title: '法定退休年龄', 'x-field-type': 'computed',
          'x-compute': { compute: 'statutoryRetirement', from: { id: 'idNumber', identity: 'identity', postNature: 'postNature' } },
        },
        minContribution: {
          type: 'string', title: '最低缴费月数', 'x-field-type': 'computed', description: '系统补充项：按退休年份计算',
          'x-compute': { compute: 'minContributionMonths', from: { retireAt: 'retireAt' } },
        },
        illnessAppraisal: {
          type: 'array', title: '劳动能力鉴定书', required: true, 'x-field-type': 'upload',
          'x-visible-when': { field: 'retireType', in: ['因病退休', '因病退职'] },
          'x-materials': [{ code: 'disability-appraisal', name: '因病或非因工伤残完全丧失劳动能力鉴定书', need: 'always' }],
        },
        interruptions: {
          type: 'array', title: '参加工作起至实际缴费前中断时间及原因', 'x-field-type': 'rows', maxItems: 20,
          items: { type: 'object', properties: { from: ym('中断起始'), to: ym('中断截止'), reason: text('中断原因') } },
        },
        workHistory: {
          type: 'array', title: '工作简历', 'x-field-type': 'rows', maxItems: 30,
          items: { type: 'object', properties: { from: ym('起始时间', { required: true }), to: ym('截止时间'), unitAndPost: text('何单位任何职务（工种）', { required: true }) } },
        },
        militaryCadre: yesNo('是否是军转干部'),
        seniorTitle: yesNo('是否是高级职称'),
      },
    },
    linked: {
      type: 'void', title: '联办事项', 'x-field-type': 'section',
      properties: {
        socialManagement: yesNo('是否纳入社会化管理', { 'x-linked-item': { id: 'social-management', name: '企业退休人员纳入社会化管理', department: 'hrss' } }),
        communityRegion: {
          type: 'array', title: '社会化管理服务所属机构', 'x-field-type': 'region', 'x-region-levels': 5,
          'x-visible-when': { field: 'socialManagement', eq: true }, 'x-required-when': { field: 'socialManagement', eq: true },
          description: '市 / 县（市区）/ 街道（乡镇）/ 社区（村）',
        },
        medicalTransfer: yesNo('是否申请办理在职医保转退休医保', { 'x-linked-item': { id: 'medical-transfer', name: '在职转退休医疗保险办理', department: 'medical' } }),
        housingFund: yesNo('是否申请提取住房公积金', { 'x-linked-item': { id: 'housing-fund-withdrawal', name: '退休人员住房公积金提取', department: 'housing-fund' } }),
        printCertificate: yesNo('是否需要打印纸质退休证'),
        resignationNote: {
          type: 'void', title: '提示', 'x-field-type': 'help', description: '因病退职人员不发放退休证，不打印纸质退休证。',
          'x-visible-when': { all: [{ field: 'printCertificate', eq: true }, { field: 'retireType', eq: '因病退职' }] },
        },
      },
    },
    other: {
      type: 'void', title: '其他', 'x-field-type': 'section',
      properties: {
        hasOnlyChildCertificate: yesNo('是否持有独生子女父母光荣证', { required: true, 'x-linked-item': { id: 'only-child-certificate', name: '独生子女父母光荣证信息采集', department: 'health' } }),
        onlyChildCertificateFile: {
          type: 'array', title: '独生子女父母光荣证', required: true, 'x-field-type': 'upload',
          'x-visible-when': { field: 'hasOnlyChildCertificate', eq: true },
          'x-materials': [{ code: 'only-child-certificate', name: '独生子女父母光荣证', need: 'always' }],
        },
      },
    },
    liuan: {
      type: 'void', title: '服务事项（六安申请表示例）', 'x-field-type': 'section',
      properties: {
        services: { type: 'array', title: '需要办理的服务事项', 'x-field-type': 'checkbox', enum: options(...LIUAN_SERVICES) },
        earlyMaterials: {
          type: 'array', title: '提前退休（退职）材料', 'x-field-type': 'upload',
          'x-visible-when': { not: { field: 'services', filled: false } },
          'x-required-when': { field: 'services', includes: '职工提前退休(退职)' },
          description: '《拟退休（退职）人员申请表》、职工人事档案、提前退休公示材料、特殊工种提前退休申请书、因病或非因工伤残完全丧失劳动能力鉴定书。',
          'x-materials': [
            { code: 'retire-application', name: '《拟退休（退职）人员申请表》', need: 'always' },
            { code: 'personnel-file', name: '职工人事档案', need: 'on-request', promiseAllowed: true },
          ],
        },
        specialWorkYears: {
          type: 'number', title: '退休前累计从事特殊工作的工作年限', 'x-field-type': 'number', minimum: 0, maximum: 50,
          'x-visible-when': { field: 'services', includes: '职工提前退休(退职)' },
        },
        applyDate: { type: 'string', title: '申请日期', 'x-field-type': 'date' },
        remarks: { type: 'string', title: '备注', 'x-field-type': 'textarea', maxLength: 500 },
      },
    },
    notes: {
      type: 'void', title: '说明', 'x-field-type': 'help',
      description: '（第6条“此表一式三份”见表尾）\n1. 此表由办理正常退休、因病退休、因病退职的参保人员填写。\n2. 本人身份是指干部或工人。\n3. 岗位性质是指管理技术岗位或非管理技术岗位。\n4. 灵活就业人员的退休时间指人力资源社会保障行政部门批准从次月领取基本养老金的时间。\n5. 退休类别是指正常退休、因病退休、因病退职。',
    },
  },
};

/** A complete, valid submission (fictitious person: DOMAIN.md sample ID). */
export const showcaseValidPayload = {
  unitName: '常州示例机械有限公司',
  unitCreditCode: '91110000600037341L',
  name: '张示例',
  idNumber: '341502196501150039',
  gender: 'male',
  identity: '工人',
  postNature: '非管理技术岗位',
  mobile: '13912345678',
  postcode: '213000',
  birthMonth: '1965-01',
  workStart: '1985-07',
  retireAt: '2025-02',
  retireType: '正常退休',
  statutoryAge: '60岁1个月',
  minContribution: 180,
  workHistory: [{ from: '1985-07', to: '2025-01', unitAndPost: '常州示例机械有限公司 车工' }],
  socialManagement: false,
  medicalTransfer: true,
  housingFund: true,
  hasOnlyChildCertificate: false,
};

/**
 * Invalid submissions shared by the browser test and the server-validator test: each lists
 * the dotted paths both sides must report.
 */
export const showcaseInvalidCases: { name: string; payload: Record<string, unknown>; paths: string[] }[] = [
  { name: 'bad ID check digit', payload: { ...showcaseValidPayload, idNumber: '341502196501150038', gender: undefined, birthMonth: undefined, statutoryAge: undefined, minContribution: undefined }, paths: ['idNumber'] },
  { name: 'certificate required when 持有 = 是', payload: { ...showcaseValidPayload, hasOnlyChildCertificate: true }, paths: ['onlyChildCertificateFile'] },
  { name: 'region required when 社会化管理 = 是', payload: { ...showcaseValidPayload, socialManagement: true }, paths: ['communityRegion'] },
  { name: 'early-retirement materials when ticked', payload: { ...showcaseValidPayload, services: ['职工提前退休(退职)'] }, paths: ['earlyMaterials'] },
  { name: 'bad mobile, postcode and a rows cell', payload: { ...showcaseValidPayload, mobile: '12345', postcode: '2130', workHistory: [{ from: '1985-07', unitAndPost: '' }] }, paths: ['mobile', 'postcode', 'workHistory.0.unitAndPost'] },
];
