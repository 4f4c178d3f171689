import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeResidentId, parseResidentId, residentIdCheckChar } from '@lianban/runtime';

/** Arbitrary valid birth dates 1900..2099 (day capped at 28 to stay real in every month). */
const birthDates = fc.record({ y: fc.integer({ min: 1900, max: 2099 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

describe('parseResidentId', () => {
  it('should accept the DOMAIN.md samples and derive birth date and gender', () => {
    expect(parseResidentId('341502196501150039')).toMatchObject({ valid: true, birthDate: '1965-01-15', gender: 'male', region: '341502' });
    expect(parseResidentId('32040219700520002X')).toMatchObject({ valid: true, birthDate: '1970-05-20', gender: 'female' });
  });

  it('should accept a lower-case x and normalise it', () => {
    expect(parseResidentId('32040219700520002x')).toMatchObject({ valid: true, id: '32040219700520002X' });
  });

  it('should reject the DOMAIN.md invalid samples with the reason', () => {
    expect(parseResidentId('341502196501150038')).toMatchObject({ valid: false, reason: 'check-digit' });
    expect(parseResidentId('320402197002300025')).toMatchObject({ valid: false, reason: 'birth-date' });
    expect(parseResidentId('341502196513010033')).toMatchObject({ valid: false, reason: 'birth-date' });
  });

  it('should reject wrong lengths and shapes', () => {
    expect(parseResidentId('34150219650115003')).toMatchObject({ valid: false, reason: 'length' });
    expect(parseResidentId('34150219650115003A')).toMatchObject({ valid: false, reason: 'format' });
    expect(parseResidentId('X41502196501150039')).toMatchObject({ valid: false, reason: 'format' });
    expect(parseResidentId(undefined as unknown as string)).toMatchObject({ valid: false, reason: 'length' });
  });

  it('should check leap days: 2000-02-29 is real, 1900-02-29 is not', () => {
    expect(parseResidentId(makeResidentId('320402', '2000-02-29', 12)).valid).toBe(true);
    const first17 = '32040219000229012';
    expect(parseResidentId(first17 + residentIdCheckChar(first17))).toMatchObject({ valid: false, reason: 'birth-date' });
  });

  it('should round-trip birth date and gender of every generated valid ID', () => {
    fc.assert(fc.property(birthDates, fc.integer({ min: 0, max: 999 }), (birth, seq) => {
      const info = parseResidentId(makeResidentId('341502', birth, seq));
      return info.valid && info.birthDate === birth && info.gender === (seq % 2 ? 'male' : 'female');
    }));
  });

  it('should reject every single-digit change of a valid ID', () => {
    fc.assert(fc.property(birthDates, fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }),
      (birth, seq, pos, delta) => {
        const id = makeResidentId('320402', birth, seq);
        const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        return !parseResidentId(changed).valid;
      }));
  });
});
