import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { creditCodeCheckChar, isValidCreditCode, isValidMobile, isValidPostcode, normalizeMobile } from '@lianban/runtime';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('isValidCreditCode', () => {
  it('should accept the DOMAIN.md example', () => {
    expect(isValidCreditCode('91110000600037341L')).toBe(true);
  });

  it('should reject a wrong check character, forbidden letters and wrong shapes', () => {
    expect(isValidCreditCode('91110000600037341K')).toBe(false);
    expect(isValidCreditCode('9111000060003734IL')).toBe(false); // I is not in the alphabet
    expect(isValidCreditCode('91A10000600037341L')).toBe(false); // positions 3-8 are digits
    expect(isValidCreditCode('91110000600037341')).toBe(false);
    expect(isValidCreditCode('')).toBe(false);
  });

  it('should accept every code built with its check character', () => {
    const chars = fc.constantFrom(...ALPHABET.split(''));
    const digits = fc.constantFrom(...'0123456789'.split(''));
    fc.assert(fc.property(fc.array(chars, { minLength: 2, maxLength: 2 }), fc.array(digits, { minLength: 6, maxLength: 6 }), fc.array(chars, { minLength: 9, maxLength: 9 }),
      (a, b, c) => {
        const first17 = [...a, ...b, ...c].join('');
        return isValidCreditCode(first17 + creditCodeCheckChar(first17));
      }));
  });
});

describe('mobile and postcode', () => {
  it('should store the 11 digits of a mobile number', () => {
    expect(normalizeMobile('13912345678')).toBe('13912345678');
    expect(normalizeMobile('+8613912345678')).toBe('13912345678');
    expect(normalizeMobile('0086 139-1234-5678')).toBe('13912345678');
  });

  it('should reject non-mobile numbers', () => {
    expect(normalizeMobile('12912345678')).toBeNull();
    expect(normalizeMobile('1391234567')).toBeNull();
    expect(normalizeMobile('0519-88888888')).toBeNull();
    expect(isValidMobile('+8613912345678')).toBe(false); // stored form is the 11 digits only
    expect(isValidMobile('13912345678')).toBe(true);
  });

  it('should accept 6-digit postcodes only', () => {
    expect(isValidPostcode('237000')).toBe(true);
    expect(isValidPostcode('213000')).toBe(true);
    expect(isValidPostcode('21300')).toBe(false);
    expect(isValidPostcode('2130000')).toBe(false);
    expect(isValidPostcode('21300a')).toBe(false);
  });
});
