/**
 * Matter codes and case numbers (issue 23 part 5): a matter's 实施编码 (and an item's own) is
 * checked, kept with the draft and every published version; a city's 办件编号 format — the default
 * still gives `LA` + date + 4-digit sequence, another format is read by the tokenizer, refused
 * with a reason when malformed, and never gives a number twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CASE_NO_PATTERN, implCodeProblem, parseCaseNoPattern, renderCaseNo } from '@lianban/runtime';
import { publishMini, startTestServer, type TestServer } from './helpers';

const LUAN_APPLICANT_ID = '341502196501150039'; // the demo account luan.applicant's
const data = { name: '张三', idNumber: LUAN_APPLICANT_ID, housingFund: false };
// fictitious: a well-formed 统一社会信用代码 (check character K) + 行使层级 + 基本编码
const IMPL_CODE = '11341500MB1234567K3000117005000';
const ITEM_CODE = '11341500MB1234567K300011700500001';
const chinaDay = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');

const miniMatter = (extra: Record<string, unknown> = {}, itemCode?: string) => ({
  title: '小事项', forms: [{ key: 'mini-form' }], flow: 'mini-flow',
  linkedItems: [
    { key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true },
    { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund', ...(itemCode ? { implCode: itemCode } : {}) },
  ],
  ...extra,
});

describe('实施编码 of a matter', () => {
  it('should accept the catalogue code shape and say why another is refused', () => {
    expect(implCodeProblem(IMPL_CODE)).toBeNull();
    expect(implCodeProblem(ITEM_CODE)).toBeNull();
    expect(implCodeProblem('11341500MB1234567X3000117005000')).toContain('统一社会信用代码'); // wrong check character
    expect(implCodeProblem('000117005000')).toContain('28–34');
    expect(implCodeProblem('11341500MB1234567K30001170050-0')).toContain('第 19 位起');
  });
});

describe('matter codes and case numbers per city', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
  });
  afterAll(async () => { await s?.close(); });

  it('should keep the 实施编码 of the matter and of an item with the draft and the published version, and refuse a malformed one', async () => {
    const admin = await s.login('luan.admin');
    const saved = await admin.put('/api/v1/admin/matters/mini').send(miniMatter({ implCode: IMPL_CODE, shortCode: 'TX' }, ITEM_CODE)).expect(200);
    expect(saved.body.draft).toMatchObject({ implCode: IMPL_CODE, shortCode: 'TX' });
    expect(saved.body.draft.linkedItems[1].implCode).toBe(ITEM_CODE);
    await admin.post('/api/v1/admin/matters/mini/publish').expect(200);
    const applicant = await s.login('luan.applicant');
    const matter = (await applicant.get('/api/v1/matters/mini').expect(200)).body;
    expect(matter.implCode).toBe(IMPL_CODE);
    expect(matter.linkedItems[1].implCode).toBe(ITEM_CODE);
    expect((await applicant.get('/api/v1/matters').expect(200)).body.find((m: { key: string }) => m.key === 'mini').implCode).toBe(IMPL_CODE);

    const bad = await admin.put('/api/v1/admin/matters/mini').send(miniMatter({ implCode: '11341500MB1234567X3000117005000' })).expect(422);
    expect(bad.body.error.code).toBe('invalid');
    expect(bad.body.error.message).toContain('统一社会信用代码');
    const badItem = await admin.put('/api/v1/admin/matters/mini').send(miniMatter({ implCode: IMPL_CODE }, 'ABC')).expect(422);
    expect(badItem.body.error.errors[0]).toMatchObject({ path: 'linkedItems.1.implCode' });
    expect(badItem.body.error.message).toContain('公积金提取');
    await admin.put('/api/v1/admin/matters/mini').send(miniMatter({ implCode: IMPL_CODE, shortCode: 'tx!' })).expect(422);
    // the draft is as it was; leaving the code out clears it
    expect((await admin.get('/api/v1/admin/matters/mini').expect(200)).body.draft.implCode).toBe(IMPL_CODE);
    const cleared = await admin.put('/api/v1/admin/matters/mini').send(miniMatter({ shortCode: 'TX' })).expect(200);
    expect(cleared.body.draft.implCode).toBeUndefined();
    await admin.put('/api/v1/admin/matters/mini').send(miniMatter({ implCode: IMPL_CODE, shortCode: 'TX' }, ITEM_CODE)).expect(200);
  });

  it('should number cases as before by default: LA, the China date, a 4-digit sequence', async () => {
    expect(renderCaseNo(parseCaseNoPattern(DEFAULT_CASE_NO_PATTERN).tokens!, { prefix: 'LA', date: '20250601', matter: 'X' }, 1)).toBe('LA202506010001');
    const admin = await s.login('luan.admin');
    const settings = (await admin.get('/api/v1/admin/case-numbers').expect(200)).body;
    expect(settings).toMatchObject({ pattern: DEFAULT_CASE_NO_PATTERN, defaultPattern: DEFAULT_CASE_NO_PATTERN, prefix: 'LA', example: `LA${chinaDay()}0001` });
    const applicant = await s.login('luan.applicant');
    const first = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201);
    const second = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201);
    expect(first.body.no).toBe(`LA${chinaDay()}0001`);
    expect(second.body.no).toBe(`LA${chinaDay()}0002`);
  });

  it('should refuse a malformed format with the reason, and only to the city admin', async () => {
    const admin = await s.login('luan.admin');
    const cases: [string, string][] = [
      ['{prefix}{date}{seq:4}', '不认识的占位符'],
      ['{prefix}{yyyy}{MM}{dd}', '须含且只含一个序号'],
      ['{seq:4}{prefix}{yyyy}', '须在办件编号的最后'],
      ['{prefix}.*{seq:4}', '不能有「.」'],
      ['{prefix}{yyyy{seq:4}', '不认识的占位符'],
      ['{prefix}{seq:9}', '不认识的占位符'],
      ['{prefix}{yyyy}{seq:4', '没有对应的「}」'],
      ['{prefix}{matter}{matter}{matter}{matter}{seq:8}', '最长 40 位'],
    ];
    for (const [pattern, why] of cases) {
      const res = await admin.put('/api/v1/admin/case-numbers').send({ pattern }).expect(422);
      expect(res.body.error.code).toBe('invalid');
      expect(res.body.error.message, pattern).toContain(why);
    }
    const applicant = await s.login('luan.applicant');
    await applicant.put('/api/v1/admin/case-numbers').send({ pattern: '{prefix}{seq:4}' }).expect(403);
    expect((await admin.get('/api/v1/admin/case-numbers').expect(200)).body.pattern).toBe(DEFAULT_CASE_NO_PATTERN);
  });

  it('should number by the city admin\'s format (with the matter\'s short code), audited, and back by the default', async () => {
    const admin = await s.login('luan.admin');
    await admin.post('/api/v1/admin/matters/mini/publish').expect(200); // the short code TX
    const yymm = chinaDay().slice(2, 6);
    const set = await admin.put('/api/v1/admin/case-numbers').send({ pattern: '{prefix}-{yy}{MM}-{matter}-{seq:5}' }).expect(200);
    expect(set.body).toMatchObject({ pattern: '{prefix}-{yy}{MM}-{matter}-{seq:5}', example: `LA-${yymm}-TX-00001` });
    const applicant = await s.login('luan.applicant');
    expect((await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201)).body.no).toBe(`LA-${yymm}-TX-00001`);
    expect((await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201)).body.no).toBe(`LA-${yymm}-TX-00002`);
    const audit = await s.models.Audit.findOne({ tenant: 'luan', action: 'city.case-no-pattern' }).lean();
    expect(audit?.details).toMatchObject({ from: DEFAULT_CASE_NO_PATTERN, to: '{prefix}-{yy}{MM}-{matter}-{seq:5}' });
    // changzhou keeps its own (default) numbers
    expect((await (await s.login('changzhou.admin')).get('/api/v1/admin/case-numbers').expect(200)).body.pattern).toBe(DEFAULT_CASE_NO_PATTERN);

    await admin.put('/api/v1/admin/case-numbers').send({ pattern: DEFAULT_CASE_NO_PATTERN }).expect(200);
    expect((await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201)).body.no).toBe(`LA${chinaDay()}0003`);
  });

  it('should never give a number twice when a new format meets numbers of an earlier one', async () => {
    const admin = await s.login('luan.admin');
    // its first numbers would be LA<date>0001…0003, given under the default today
    await admin.put('/api/v1/admin/case-numbers').send({ pattern: '{prefix}{yyyy}{MM}{dd}0{seq:3}' }).expect(200);
    const applicant = await s.login('luan.applicant');
    const res = await applicant.post('/api/v1/cases').send({ matter: 'mini', form: 'mini-form', data }).expect(201);
    expect(res.body.no).toBe(`LA${chinaDay()}0004`);
    const nos = (await s.models.Case.find({ tenant: 'luan' }).lean()).map((c) => c.no).filter(Boolean);
    expect(new Set(nos).size).toBe(nos.length);
    await admin.put('/api/v1/admin/case-numbers').send({ pattern: DEFAULT_CASE_NO_PATTERN }).expect(200);
  });
});
