/**
 * The eligibility pre-check (「先测一测」) of a published matter: the runtime's pure `precheck`
 * over the matter's linked items and materials, for this month on China time. Nothing is
 * stored and nothing is audited: the answers are not kept (no personal data is written).
 */
import { precheck, precheckErrors, type PrecheckAnswers } from '@lianban/runtime';
import type { PrecheckAnswer } from '@lianban/runtime/contract';
import type { Models } from '../models';
import { publishedMatter } from './definitions';
import { DomainError } from './errors';

/** 'YYYY-MM' of an instant on China time (UTC+8, no daylight saving). */
export function chinaMonth(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** `answers` is read after the matter is found: another city's matter is 404 whatever the body. */
export async function precheckMatter(models: Models, tenant: string, key: string, read: () => PrecheckAnswers, now = new Date()): Promise<PrecheckAnswer> {
  const matter = await publishedMatter(models, tenant, key);
  const answers = read();
  const errors = precheckErrors(answers);
  if (errors.length) throw new DomainError('invalid', `测一测的回答有 ${errors.length} 处需要修改`, { errors });
  const today = chinaMonth(now);
  const result = precheck(answers, matter.linkedItems, today);
  return { matter: { key: matter.key, title: matter.title, ...(matter.contact ? { contact: matter.contact } : {}) }, ...result, today };
}
