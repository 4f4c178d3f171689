/**
 * Case numbers (办件编号): by default the city's prefix, the day in China time and a per-day
 * sequence, e.g. `LA202506010001` (`{prefix}{yyyy}{MM}{dd}{seq:4}`). A city admin may set another
 * format (`PUT /admin/case-numbers`, tokens in runtime rules/case-no-pattern.ts). The sequence is
 * an atomic counter per everything before it (the stem: prefix and day for the default), so
 * processes sharing a database never hand out one number twice; under a format other than the
 * default a number already given (under an earlier format) is skipped. A submission takes its
 * number inside the transaction that stores the case (case-number-commit.ts `commitNumbered`, #24);
 * `nextCaseNo` takes one on its own.
 */
import { DEFAULT_CASE_NO_PATTERN, caseNoStem, parseCaseNoPattern, renderCaseNo, type CaseNoToken } from '@lianban/runtime';
import type { Models } from '../models';
import { DomainError } from './errors';
import { audit, type Actor } from './audit';

// The date in China time, whatever the server's zone (a formatter is costly to build).
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

interface Numbering { prefix: string; pattern: string; tokens: CaseNoToken[] }

// A city's prefix never changes; its format may: each process reads it again after CACHE_MS.
const CACHE_MS = 30_000;
const DEFAULT_TOKENS = parseCaseNoPattern(DEFAULT_CASE_NO_PATTERN).tokens!;
const cached = new WeakMap<Models, Map<string, { at: number; value: Promise<Numbering> }>>();

function numberingOf(models: Models, tenant: string): Promise<Numbering> {
  let cache = cached.get(models);
  if (!cache) cached.set(models, (cache = new Map()));
  const hit = cache.get(tenant);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
  const value = models.Tenant.findById(tenant).select({ casePrefix: 1, caseNoPattern: 1 }).lean().then((t) => {
    const prefix = t?.casePrefix ?? tenant.slice(0, 2).toUpperCase();
    const parsed = t?.caseNoPattern ? parseCaseNoPattern(t.caseNoPattern) : null;
    return parsed?.tokens ? { prefix, pattern: t!.caseNoPattern!, tokens: parsed.tokens } : { prefix, pattern: DEFAULT_CASE_NO_PATTERN, tokens: DEFAULT_TOKENS };
  });
  value.catch(() => cache.delete(tenant));
  cache.set(tenant, { at: Date.now(), value });
  return value;
}

/** The matter's part of a number (`{matter}`): its short code, else its key's letters and digits (6 at most, capitals). */
export function matterShortCode(matter?: { key: string; shortCode?: string }): string {
  if (!matter) return '';
  return matter.shortCode ?? matter.key.replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toUpperCase();
}

/** How the city numbers a case of `matter` on the day of `now`: the counter's key (`stem`) and how a sequence becomes a number. */
export async function caseNoScheme(models: Models, tenant: string, now: Date, matter?: { key: string; shortCode?: string }) {
  const { prefix, pattern, tokens } = await numberingOf(models, tenant);
  const parts = { prefix, date: CHINA_DAY.format(now).replaceAll('-', ''), matter: matterShortCode(matter) };
  return { stem: caseNoStem(tokens, parts), custom: pattern !== DEFAULT_CASE_NO_PATTERN, render: (seq: number) => renderCaseNo(tokens, parts, seq) };
}

/** The next case number of the city for the day of `now` (and the matter, when the format names it). */
export async function nextCaseNo(models: Models, tenant: string, now: Date, matter?: { key: string; shortCode?: string }): Promise<string> {
  const { prefix, pattern, tokens } = await numberingOf(models, tenant);
  const parts = { prefix, date: CHINA_DAY.format(now).replaceAll('-', ''), matter: matterShortCode(matter) };
  const stem = caseNoStem(tokens, parts);
  // bounded: a number given under an earlier format is skipped (only a custom format can meet one)
  for (let attempt = 0; ; attempt++) {
    // the driver's findAndModify (the same command; no mongoose query to build on every submission)
    const counter = await models.Counter.collection.findOneAndUpdate({ _id: stem as never }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });
    const no = renderCaseNo(tokens, parts, (counter as { seq: number } | null)!.seq);
    if (pattern === DEFAULT_CASE_NO_PATTERN || attempt >= 20 || !(await models.Case.exists({ tenant, no }))) return no;
  }
}

/** `GET /admin/case-numbers`: the city's format, the default, and what the next number would look like. */
export async function caseNoSettings(models: Models, tenant: string, now = new Date()) {
  const { prefix, pattern, tokens } = await numberingOf(models, tenant);
  const parts = { prefix, date: CHINA_DAY.format(now).replaceAll('-', ''), matter: 'TX' };
  return { pattern, defaultPattern: DEFAULT_CASE_NO_PATTERN, prefix, example: renderCaseNo(tokens, parts, 1) };
}

/** `PUT /admin/case-numbers {pattern}`: sets the city's format (422 `invalid` with why); audited. */
export async function saveCaseNoPattern(models: Models, actor: Actor, pattern: string) {
  const parsed = parseCaseNoPattern(pattern);
  if (parsed.problem) throw new DomainError('invalid', parsed.problem, { errors: [{ path: 'pattern', message: parsed.problem }] });
  const before = await numberingOf(models, actor.tenant);
  const res = await models.Tenant.updateOne({ _id: actor.tenant }, pattern === DEFAULT_CASE_NO_PATTERN ? { $unset: { caseNoPattern: 1 } } : { $set: { caseNoPattern: pattern } });
  if (res.matchedCount === 0) throw new DomainError('not-found', '城市不存在');
  cached.get(models)?.delete(actor.tenant);
  await audit(models, actor, 'city.case-no-pattern', `tenant:${actor.tenant}`, { from: before.pattern, to: pattern });
  return caseNoSettings(models, actor.tenant);
}
