import { describe, expect, it } from 'vitest';
import {
  compileChecker, showcaseInvalidCases, showcaseSchema, showcaseValidPayload, type FormSchema,
} from '@lianban/runtime';
import { compileValidator, FormSchemaError } from '@lianban/runtime/validate';

const paths = (errors: { path: string }[]) => errors.map((e) => e.path).sort();

describe('compileValidator (server side)', () => {
  const validator = compileValidator(showcaseSchema);

  it('should accept the valid showcase submission and keep what may be stored', () => {
    const r = validator.validate(showcaseValidPayload);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.value).toMatchObject({ idNumber: '341502196501150039', gender: 'male', statutoryAge: '60岁1个月', birthMonth: '1965-01' });
  });

  it.each(showcaseInvalidCases)('should reject "$name" with the same paths as the browser', ({ payload, paths: expected }) => {
    const r = validator.validate(payload);
    expect(r.valid).toBe(false);
    expect(paths(r.errors)).toEqual([...expected].sort());
    for (const e of r.errors) expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('should give the ID number reason in Chinese', () => {
    const r = validator.validate({ ...showcaseValidPayload, idNumber: '320402197002300025' });
    expect(r.errors).toContainEqual({ path: 'idNumber', code: 'id-number.birth-date', message: '身份证号码中的出生日期不存在' });
  });

  it('should reject derived values that disagree with the ID number', () => {
    const r = validator.validate({ ...showcaseValidPayload, statutoryAge: '60岁', gender: 'female' });
    expect(r.errors.filter((e) => e.code === 'derived-mismatch').map((e) => e.path).sort()).toEqual(['gender', 'statutoryAge']);
  });

  it('should fill in derived values the client left out', () => {
    const { gender: _g, statutoryAge: _s, birthMonth: _b, ...rest } = showcaseValidPayload;
    const r = validator.validate({ ...rest, idNumber: '32040219700520002X', identity: '干部', retireAt: '2025-06', minContribution: undefined });
    expect(r.valid).toBe(true);
    // female 干部 → f55, born 1970-05: 55 + 2 months
    expect(r.value).toMatchObject({ gender: 'female', birthMonth: '1970-05', statutoryAge: '55岁2个月', minContribution: 180 });
  });

  it('should compute a chain of derived values whatever their order in the form', () => {
    // the minimum months read the retirement month, which is computed from the ID number below it
    const chain: FormSchema = {
      type: 'object',
      properties: {
        minMonths: { type: 'string', 'x-field-type': 'computed', 'x-compute': { compute: 'minContributionMonths', from: { retireAt: 'retireMonth' } } },
        retireMonth: { type: 'string', 'x-field-type': 'computed', 'x-compute': { compute: 'statutoryRetirementMonth', from: { id: 'idNumber' } } },
        idNumber: { type: 'string', 'x-field-type': 'idNumber' },
      },
    };
    const r = compileValidator(chain).validate({ idNumber: '341502196501150039' });
    expect(r.errors).toEqual([]);
    // male born 1965-01: 60 years and 1 month → 2025-02; retiring in 2025: 180 months
    expect(r.value).toEqual({ idNumber: '341502196501150039', retireMonth: '2025-02', minMonths: 180 });
    // a client sending a wrong month does not move the months computed from it
    const forged = compileValidator(chain).validate({ idNumber: '341502196501150039', retireMonth: '2040-01' });
    expect(forged.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['retireMonth derived-mismatch']);
  });

  it('should reject unknown fields at the top level and inside rows', () => {
    const r = validator.validate({ ...showcaseValidPayload, isAdmin: true, workHistory: [{ from: '1985-07', unitAndPost: '车工', salary: 1 }] });
    expect(paths(r.errors)).toEqual(['isAdmin', 'workHistory.0.salary']);
    expect(r.errors[0]!.code).toBe('unknown-field');
  });

  it('should drop hidden values instead of storing them, and not require them', () => {
    const r = validator.validate({ ...showcaseValidPayload, onlyChildCertificateFile: [{ name: 'x.pdf' }], communityRegion: ['32'] });
    expect(r.valid).toBe(true);
    expect(r.value).not.toHaveProperty('onlyChildCertificateFile');
    expect(r.value).not.toHaveProperty('communityRegion');
    expect(r.hidden).toEqual(expect.arrayContaining(['onlyChildCertificateFile', 'communityRegion']));
  });

  it('should require a visible field marked required only while it is visible', () => {
    expect(paths(validator.validate({ ...showcaseValidPayload, retireType: '因病退休' }).errors)).toEqual(['illnessAppraisal']);
    const ok = validator.validate({ ...showcaseValidPayload, retireType: '因病退休', illnessAppraisal: [{ name: '鉴定书.pdf', fileId: 'f1', material: 'disability-appraisal' }] });
    expect(ok.errors).toEqual([]);
  });

  it('should store the 11 digits of a mobile number typed with +86', () => {
    const r = validator.validate({ ...showcaseValidPayload, mobile: '+86 139-1234-5678' });
    expect(r.valid).toBe(true);
    expect(r.value.mobile).toBe('13912345678');
  });

  it('should check a 5-level region value and checkbox options', () => {
    const base = { ...showcaseValidPayload, socialManagement: true };
    expect(validator.validate({ ...base, communityRegion: ['32', '3204', '320402', '320402001', '320402001001'] }).errors).toEqual([]);
    expect(validator.validate({ ...base, communityRegion: ['32', '3204', '320402'] }).errors[0]).toMatchObject({ path: 'communityRegion', code: 'region' });
    expect(validator.validate({ ...base, communityRegion: ['32', '3405', '340502', '340502001', '340502001001'] }).errors[0]).toMatchObject({ code: 'region.code' });
    expect(validator.validate({ ...showcaseValidPayload, services: ['随便'] }).errors[0]).toMatchObject({ path: 'services', code: 'enum' });
  });

  it('should reject a non-object body', () => {
    expect(validator.validate([1, 2]).errors).toEqual([{ path: '', code: 'type', message: expect.any(String) }]);
  });

  it('should compile once per form version and reuse it', () => {
    expect(compileValidator(showcaseSchema)).toBe(validator);
    expect(validator.key).toBe('showcase-changzhou@1');
    const next = compileValidator({ ...showcaseSchema, 'x-form': { id: 'showcase-changzhou', version: 2 } });
    expect(next).not.toBe(validator);
  });

  it('should refuse to compile a schema that breaks the conventions', () => {
    const bad: FormSchema = { type: 'object', properties: { a: { type: 'string', 'x-field-type': 'nope' } } };
    expect(() => compileValidator(bad)).toThrow(FormSchemaError);
  });
});

describe('the ajv layer agrees with the pure checker', () => {
  it('should report the same paths for every shared invalid case from ajv alone', () => {
    const plain = compileChecker(showcaseSchema);
    const full = compileValidator(showcaseSchema);
    for (const c of showcaseInvalidCases) {
      const checked = plain.check(c.payload);
      expect(paths(checked.errors)).toEqual(paths(full.validate(c.payload).errors));
    }
  });

  it('should have ajv reject on its own what the checker rejects (checked on the stored value)', async () => {
    const { createFormAjv } = await import('@lianban/runtime/validate');
    const ajv = createFormAjv();
    const { $id: _id, ...jsonSchema } = compileValidator(showcaseSchema).jsonSchema;
    const validate = ajv.compile(jsonSchema);
    expect(validate(showcaseValidPayload)).toBe(true);
    for (const c of showcaseInvalidCases) {
      const payload = Object.fromEntries(Object.entries(c.payload).filter(([, v]) => v !== undefined && v !== ''));
      expect(validate(payload), c.name).toBe(false);
    }
  });
});
