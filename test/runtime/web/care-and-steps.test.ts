/**
 * The pure parts of the elder-friendly portal (issue 11): the steps of a form in care mode, the
 * typed date formats, and the care theme's contrast (WCAG AAA for text and the primary colour).
 */
import { describe, expect, it } from 'vitest';
import { loadCity } from '@lianban/templates';
import type { FieldSchema } from '@lianban/runtime';
import { errorsOfStep, formSteps, lenientFormats, stepOfPath, themeFor } from '@lianban/runtime/web';

const changzhou = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.schema as FieldSchema;

/** WCAG relative luminance and contrast of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('formSteps (one question group per step)', () => {
  it('should make one step per top-level section and put the closing notes in the last one', () => {
    // when
    const steps = formSteps(changzhou);
    // then
    expect(steps.map((s) => s.title)).toEqual(['退休审批事项', '联办事项', '其他']);
    expect(steps[2]!.members).toEqual(['other', 'notes']);
    expect(steps[0]!.dataKeys.has('idNumber')).toBe(true);
    expect(steps[0]!.dataKeys.has('workHistory')).toBe(true);
    expect(steps[1]!.dataKeys.has('housingFundWithdrawal')).toBe(true);
  });

  it('should find the step of a data path, rows included, and pick the errors of one step', () => {
    const steps = formSteps(changzhou);
    expect(stepOfPath(steps, 'workHistory.0.from')).toBe(0);
    expect(stepOfPath(steps, 'hasOnlyChildCertificate')).toBe(2);
    expect(stepOfPath(steps, 'nothing')).toBe(-1);
    const errors = [{ path: 'name', code: 'required', message: '' }, { path: 'printCertificate', code: 'required', message: '' }];
    expect(errorsOfStep(steps, 1, errors).map((e) => e.path)).toEqual(['printCertificate']);
  });

  it('should not step through a form with fewer than two sections', () => {
    const flat: FieldSchema = { type: 'object', properties: { a: { type: 'string', title: 'A', 'x-field-type': 'text' }, s: { type: 'void', title: 'S', 'x-field-type': 'section', properties: {} } } };
    expect(formSteps(flat)).toEqual([]);
  });

  it('should attach notes before the first section to the first step', () => {
    const schema: FieldSchema = {
      type: 'object', properties: {
        intro: { type: 'void', title: '说明', 'x-field-type': 'help', description: '先读' },
        a: { type: 'void', title: 'A', 'x-field-type': 'section', properties: { x: { type: 'string', title: 'X', 'x-field-type': 'text' } } },
        b: { type: 'void', title: 'B', 'x-field-type': 'section', properties: { y: { type: 'string', title: 'Y', 'x-field-type': 'text' } } },
      },
    };
    expect(formSteps(schema).map((s) => s.members)).toEqual([['intro', 'a'], ['b']]);
  });
});

describe('lenientFormats (dates typed as people type them)', () => {
  it('should accept common ways of typing a month or a date, stored format first', () => {
    expect(lenientFormats('month', 'YYYY-MM')).toEqual(expect.arrayContaining(['YYYY-MM', 'YYYYMM', 'YYYY年M月', 'YYYY.MM']));
    expect(lenientFormats('month', 'YYYY-MM')![0]).toBe('YYYY-MM');
    expect(lenientFormats(undefined, 'YYYY-MM-DD')![0]).toBe('YYYY-MM-DD');
    expect(lenientFormats(undefined, 'YYYY-MM-DD')).toContain('YYYYMMDD');
  });

  it('should leave an administrator\'s own format alone', () => {
    expect(lenientFormats('month', 'MM/YYYY')).toBeUndefined();
    expect(lenientFormats('year', 'YYYY')).toBeUndefined();
  });
});

describe('themeFor (care mode theme)', () => {
  it('should use ≥ 18 px text, ≥ 48 px controls and AAA contrast (7:1) in care mode', () => {
    const { token = {} } = themeFor(true);
    expect(token.fontSize).toBeGreaterThanOrEqual(18);
    expect(token.controlHeight).toBeGreaterThanOrEqual(48);
    for (const c of [token.colorText, token.colorPrimary, token.colorTextSecondary, token.colorError, token.colorLink]) {
      expect(contrast(String(c), '#ffffff'), String(c)).toBeGreaterThanOrEqual(7);
    }
  });

  it('should keep the standard theme at AA (4.5:1) for its colours', () => {
    const { token = {} } = themeFor(false);
    for (const c of [token.colorPrimary, token.colorLink, token.colorError, token.colorTextSecondary]) {
      expect(contrast(String(c), '#ffffff'), String(c)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
