/**
 * Administrator-authored regular expressions (a field's `pattern`) run on RE2 (re2js, a pure
 * JS port): matching takes time linear in the input, so no pattern can backtrack
 * catastrophically, in the browser or on the server. Every place that compiles an
 * administrator's pattern goes through `compilePattern` (the value checks, ajv on the server,
 * the schema checker); the browser's Formily never sees the raw `pattern` (see to-formily.ts).
 * RE2 has no back-references and no lookaround: such patterns are refused by the checker.
 *
 *   compilePattern('^0\\d{2,3}-?\\d{7,8}$').test('0551-1234567')   // true
 *   patternSyntaxProblem('(a)\\1')                                  // '正则表达式不受支持：…'
 */
import { RE2JS } from 're2js';

/** A compiled pattern: `test` searches like `RegExp.prototype.test` (anchor with ^…$ for a whole match). */
export interface CompiledPattern {
  readonly source: string;
  test(input: string): boolean;
}

/** Longest administrator regex we accept; bounds compile time and memory. */
export const MAX_PATTERN_LENGTH = 200;

const cache = new Map<string, CompiledPattern>();

/**
 * Patterns of a fixed shape — anchored at both ends, a sequence of atoms (an ASCII letter, digit,
 * `_` or `-`; `\d`; a bracket class of ASCII letters and digits or their ranges), each once or an
 * exact `{n}` times — such as the region codes' `^\d{6}$` or a postcode's. They match at one
 * place only and each atom consumes a fixed number of characters, so a backtracking engine
 * cannot backtrack on them: they run on the native RegExp, which means the same thing for them
 * as RE2 and is several times faster (RE2 allocates per call). Everything else runs on RE2.
 */
const FIXED_SHAPE = /^\^(?:(?:[A-Za-z0-9_-]|\\d|\[(?:[A-Za-z0-9](?:-[A-Za-z0-9])?)+\])(?:\{[1-9]\d?\})?)+\$$/;

/** Whether `source` is of the fixed shape that runs on the native RegExp (see FIXED_SHAPE). */
export function isFixedShapePattern(source: string): boolean {
  return FIXED_SHAPE.test(source);
}

/**
 * Compiles an administrator's pattern on RE2 (cached). Throws an Error with a Chinese message
 * when the pattern is too long or RE2 cannot express it (back-references, lookaround, bad syntax).
 */
export function compilePattern(source: string): CompiledPattern {
  const hit = cache.get(source);
  if (hit) return hit;
  if (typeof source !== 'string') throw new Error('正则表达式必须是文本');
  if (source.length > MAX_PATTERN_LENGTH) throw new Error(`正则表达式不能超过 ${MAX_PATTERN_LENGTH} 个字符`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(source); // always: a pattern RE2 refuses is refused whatever runs it
  } catch (e) {
    const detail = (e as Error).message.replace(/^error parsing regexp:\s*/, '');
    throw new Error(`正则表达式不受支持（不能使用反向引用、前后断言等，或语法有误）：${detail}`, { cause: e });
  }
  // ajv keys its compiled patterns by `toString()`, as it would a RegExp: keep it unique per source.
  // `test` searches like `matcher(input).find()` without building a Matcher and its capture
  // arrays per call (it runs on every submission, twice: the value checks and ajv).
  const native = isFixedShapePattern(source) ? new RegExp(source, 'u') : undefined;
  const test = native ? (input: string) => native.test(input) : (input: string) => re.test(input);
  const compiled: CompiledPattern = Object.freeze({ source, test, toString: () => `re2:${source}` });
  if (cache.size > 500) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/** Why a pattern cannot be used (Chinese), or null when `compilePattern` accepts it. */
export function patternSyntaxProblem(source: unknown): string | null {
  if (typeof source !== 'string') return '正则表达式必须是文本';
  try {
    compilePattern(source);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
