/**
 * How a file came into a case, in the words staff and applicants see (免提交, docs/integrations.md):
 * 「本人上传」「窗口代收」「工作人员扫描」「复用：办件 LA…」「电子证照：居民身份证 …」.
 */
import type { CaseAttachment } from '../api/index';

const ORIGINS = { applicant: '本人上传', window: '窗口代收', staff: '工作人员扫描' } as const;

export function originLabel(f: Pick<CaseAttachment, 'origin' | 'provenance'>): string | undefined {
  const p = f.provenance;
  if (p?.source === 'case') return `复用：办件 ${p.caseNo}`;
  if (p?.source === 'licence') return `电子证照：${p.kind}（${p.provider}，证号 ${p.licenceNo}${p.validUntil ? `，有效期至 ${p.validUntil}` : ''}）`;
  return f.origin && f.origin !== 'case' && f.origin !== 'licence' ? ORIGINS[f.origin] : undefined;
}
