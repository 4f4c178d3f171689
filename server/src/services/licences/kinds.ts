/**
 * Which 电子证照 kind stands for which material code (an upload field's `x-materials[].code`).
 * A material not listed here is never asked of the licence platform (its earlier-case copies
 * are still offered). Names are the licence catalogue's 证照类型 (docs/integrations.md).
 */
export const LICENCE_KINDS: Readonly<Record<string, string>> = {
  'id-card': '居民身份证',
  'household-register': '居民户口簿',
  'social-security-card': '社会保障卡',
  'only-child-certificate': '独生子女父母光荣证',
  'marriage-certificate': '结婚证',
  'disability-appraisal': '劳动能力鉴定结论书',
};

/** The licence kinds of these material codes (all kinds when `codes` is undefined). */
export function licenceKindsFor(codes: readonly string[] | undefined): string[] {
  const all = Object.entries(LICENCE_KINDS);
  return [...new Set((codes ? all.filter(([code]) => codes.includes(code)) : all).map(([, kind]) => kind))];
}

/** The material code a licence kind is reused as (the first listed), or undefined. */
export function materialOfKind(kind: string): string | undefined {
  return Object.entries(LICENCE_KINDS).find(([, k]) => k === kind)?.[0];
}
