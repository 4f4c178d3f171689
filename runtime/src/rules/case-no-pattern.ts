/**
 * The city's case-number format (办件编号格式), e.g. `{prefix}{yyyy}{MM}{dd}{seq:4}` — the default,
 * giving `LA202506010001`. Tokens: `{prefix}` the city's prefix, `{yyyy}` `{yy}` `{MM}` `{dd}` the
 * date of 受理 in China time, `{matter}` the matter's short code, `{seq:N}` the sequence padded to N
 * (3–8) digits — exactly once. Between them literal digits, letters and `-`. A small tokenizer reads it
 * (no regular expression made of it, no evaluation); its length is bounded.
 *
 *   const p = parseCaseNoPattern('{prefix}-{yyyy}{MM}-{seq:5}');   // { tokens } or { problem }
 *   renderCaseNo(p.tokens, { prefix: 'LA', date: '20250601', matter: 'TX' }, 7)   // 'LA-202506-00007'
 */
export const DEFAULT_CASE_NO_PATTERN = '{prefix}{yyyy}{MM}{dd}{seq:4}';
export const MAX_CASE_NO_PATTERN = 60;
/** A rendered number is at most this long (the counter key and the number). */
export const MAX_CASE_NO_LENGTH = 40;

export type CaseNoToken =
  | { kind: 'literal'; text: string }
  | { kind: 'prefix' | 'yyyy' | 'yy' | 'MM' | 'dd' | 'matter' }
  | { kind: 'seq'; width: number };

const NAMED = new Set(['prefix', 'yyyy', 'yy', 'MM', 'dd', 'matter']);
const isLiteralChar = (c: string) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '-';

/** The tokens of a pattern, or why it is refused (Chinese). */
export function parseCaseNoPattern(pattern: string): { tokens: CaseNoToken[]; problem?: undefined } | { problem: string; tokens?: undefined } {
  if (typeof pattern !== 'string' || !pattern.length) return { problem: '请填写办件编号格式' };
  if (pattern.length > MAX_CASE_NO_PATTERN) return { problem: `办件编号格式最长 ${MAX_CASE_NO_PATTERN} 个字符` };
  const tokens: CaseNoToken[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) return { problem: `第 ${i + 1} 个字符起的「{」没有对应的「}」` };
      const name = pattern.slice(i + 1, end);
      if (NAMED.has(name)) tokens.push({ kind: name as 'prefix' });
      else if (name.startsWith('seq:') && /^[3-8]$/.test(name.slice(4))) tokens.push({ kind: 'seq', width: Number(name.slice(4)) });
      else return { problem: `不认识的占位符「{${name.slice(0, 20)}}」：可用 {prefix} {yyyy} {yy} {MM} {dd} {matter} {seq:N}（N 为 3–8）` };
      i = end + 1;
    } else if (isLiteralChar(c)) {
      const last = tokens.at(-1);
      if (last?.kind === 'literal') last.text += c; else tokens.push({ kind: 'literal', text: c });
      i++;
    } else {
      return { problem: `办件编号格式中不能有「${c}」：占位符之外只可用数字、字母和「-」` };
    }
  }
  const seqs = tokens.filter((t) => t.kind === 'seq').length;
  if (seqs !== 1) return { problem: '办件编号格式须含且只含一个序号 {seq:N}' };
  // Numbers of one period must not run into the next's: the sequence comes last, after the date parts
  if (tokens.at(-1)?.kind !== 'seq') return { problem: '序号 {seq:N} 须在办件编号的最后' };
  const width = tokens.reduce((n, t) => n + (t.kind === 'literal' ? t.text.length : t.kind === 'seq' ? t.width : t.kind === 'yyyy' ? 4 : t.kind === 'prefix' || t.kind === 'matter' ? 8 : 2), 0);
  if (width > MAX_CASE_NO_LENGTH) return { problem: `按此格式办件编号可长达 ${width} 位，最长 ${MAX_CASE_NO_LENGTH} 位` };
  return { tokens };
}

export interface CaseNoParts {
  prefix: string;
  /** `YYYYMMDD` in China time. */
  date: string;
  /** The matter's short code. */
  matter: string;
}

/** Everything but the sequence (the counter's key: a new period or matter starts at 1). */
export function caseNoStem(tokens: readonly CaseNoToken[], parts: CaseNoParts): string {
  let out = '';
  for (const t of tokens) {
    switch (t.kind) {
      case 'literal': out += t.text; break;
      case 'prefix': out += parts.prefix; break;
      case 'matter': out += parts.matter; break;
      case 'yyyy': out += parts.date.slice(0, 4); break;
      case 'yy': out += parts.date.slice(2, 4); break;
      case 'MM': out += parts.date.slice(4, 6); break;
      case 'dd': out += parts.date.slice(6, 8); break;
      case 'seq': break;
    }
  }
  return out;
}

/** The number: the stem and the sequence padded to its width (a sequence beyond it keeps all its digits). */
export function renderCaseNo(tokens: readonly CaseNoToken[], parts: CaseNoParts, seq: number): string {
  const seqToken = tokens.find((t) => t.kind === 'seq') as { width: number } | undefined;
  return `${caseNoStem(tokens, parts)}${String(seq).padStart(seqToken?.width ?? 4, '0')}`;
}
