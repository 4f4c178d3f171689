/** Unified social credit code (GB 32100-2015): 18 characters, MOD 31 check character. */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters of a credit code. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** True for a well-formed credit code with the right check character, e.g. `91110000600037341L`. */
export function isValidCreditCode(code: string): boolean {
  if (typeof code !== 'string' || !SHAPE.test(code)) return false;
  return creditCodeCheckChar(code) === code[17];
}
