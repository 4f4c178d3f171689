/**
 * 实施编码: a matter's (or a linked item's) code in the national catalogue of government
 * services (国家政务服务事项基本目录及实施清单, GB/T 39554.1-2020). It is the implementing body's
 * 18-character 统一社会信用代码 (GB 32100, with its check character) followed by the item's own
 * part (行使层级, 事项类型, 主项, 子项, and optionally the 2-digit 业务办理项): 31 characters in
 * most provinces' catalogues, 33 with the 业务办理项. Provinces differ in the tail, so the tail is
 * accepted as 10–16 digits or capital letters (28–34 characters in all).
 *
 *   implCodeProblem('11341500MB1234567X3000117005000')   // null, or a Chinese message
 */
import { isValidCreditCode } from '../rules/credit-code';

const TAIL = /^[0-9A-Z]{10,16}$/;
const SHORT = /^[0-9A-Z]{1,8}$/;

/** Null for a well-formed 实施编码; else why not, in Chinese. */
export function implCodeProblem(code: string): string | null {
  if (typeof code !== 'string' || code.length < 28 || code.length > 34) return '实施编码应为 28–34 位数字或大写字母（常见为 31 位，含业务办理项为 33 位）';
  if (!isValidCreditCode(code.slice(0, 18))) return '实施编码的前 18 位应为实施主体的统一社会信用代码（含校验位），请核对';
  if (!TAIL.test(code.slice(18))) return '实施编码第 19 位起应为数字或大写字母';
  return null;
}

/** Null for a well-formed short code of a matter (the case number's `{matter}`): 1–8 digits or capital letters. */
export function shortCodeProblem(code: string): string | null {
  return typeof code === 'string' && SHORT.test(code) ? null : '事项简码应为 1–8 位数字或大写字母';
}
