/**
 * Public progress lookup (办件进度查询, `GET /public/progress?no=&id4=`): anyone holding a case
 * number and the last four characters of the applicant's ID number learns where the case stands
 * — its status and each linked item's, the matter's title, the dates it was submitted and ended —
 * and nothing personal (no name, ID number, data, department staff or history).
 *
 * - A wrong pair answers exactly like an unknown number (same status, same body, one database
 *   read each; the four characters are compared in constant time, against a dummy when there is
 *   no case), so the lookup cannot tell which numbers exist.
 * - Rate-limited per client address (http/client-address.ts: a forged X-Forwarded-For cannot
 *   steer it): PROGRESS_LIMIT lookups per PROGRESS_WINDOW_MS, counted in the database so every
 *   process shares the count; beyond it 429 `too-many-attempts` with `retryAfter`.
 * - Each found case's lookup is audited (with the address), like any read of a case.
 */
import { itemEnding, shownItemStatus } from './item-status';
import crypto from 'node:crypto';
import { walkSchema, type FieldSchema } from '@lianban/runtime';
import type { PublicProgress } from '@lianban/runtime/contract';
import type { CaseDoc, Models } from '../models';
import { audit } from './audit';
import { matterVersion } from './definitions';
import { DomainError } from './errors';

/** Lookups per address and window. */
export const PROGRESS_LIMIT = 20;
export const PROGRESS_WINDOW_MS = 15 * 60_000;

const CASE_STATUS: Record<string, string> = {
  submitted: '已提交', 'in-progress': '办理中', 'needs-applicant': '待申请人处理', completed: '已办结', rejected: '不予批准', withdrawn: '已撤回',
};
const ITEM_STATUS: Record<string, string> = {
  requested: '已申请', 'in-progress': '办理中', done: '已办结', standalone: '转单独事项', 'not-applicable': '不适用', rejected: '不予批准', withdrawn: '已撤回', cancelled: '已终止',
};

const NO = /^[A-Z]{1,8}\d{12}$/;
const ID4 = /^\d{3}[\dX]$/;

/** The one answer for an unknown number and a wrong pair alike. */
export const NOT_FOUND_MESSAGE = '未查询到该办件，请核对办件编号和身份证号码后四位';
const notFound = () => new DomainError('not-found', NOT_FOUND_MESSAGE);

// Compared with when there is no case: the same work either way.
const DUMMY = Buffer.from('\0\0\0\0');

/**
 * Counts this call of a public route (`route`: its counter's name) by the address; 429
 * `too-many-attempts` with `retryAfter` beyond `limit` in the window. Also used by `GET /verify/:token`.
 */
export async function throttle(models: Models, ip: string, now: number, route = 'progress', limit = PROGRESS_LIMIT): Promise<void> {
  const start = now - (now % PROGRESS_WINDOW_MS);
  const doc = await models.PublicThrottle.findOneAndUpdate(
    { _id: `${route}:${ip}:${start}` },
    { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date(start + PROGRESS_WINDOW_MS) } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  if (doc && doc.count > limit) {
    const retryAfter = Math.max(1, Math.ceil((start + PROGRESS_WINDOW_MS - now) / 1000));
    throw new DomainError('too-many-attempts', `查询过于频繁，请 ${Math.ceil(retryAfter / 60)} 分钟后再试`, { retryAfter });
  }
}

/** The ID number the case's application names: its form's first ID-number field (outside rows). */
function idNumberOf(doc: Pick<CaseDoc, 'data'>, schema: FieldSchema | undefined): string {
  const node = schema ? walkSchema(schema, (n) => (n.rows ? 'skip' : undefined)).find((n) => n.schema['x-field-type'] === 'idNumber' && !n.rows) : undefined;
  const value = doc.data[node?.path ?? 'idNumber'];
  return typeof value === 'string' ? value : '';
}

/** `2026-03-28` in China time. */
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const dayOf = (d: Date | undefined | null): string | null => (d ? CHINA_DAY.format(new Date(d)) : null);

/** `GET /public/progress`: 422 for a malformed pair, 404 (one answer) for an unknown or wrong one. */
export async function publicProgress(models: Models, query: { no?: string; id4?: string }, ip: string): Promise<PublicProgress> {
  const no = (query.no ?? '').trim().toUpperCase();
  const id4 = (query.id4 ?? '').trim().toUpperCase();
  const errors = [
    ...(NO.test(no) ? [] : [{ path: 'no', message: '办件编号格式不正确（如 CZ202603010001）' }]),
    ...(ID4.test(id4) ? [] : [{ path: 'id4', message: '请填写身份证号码后四位（数字，最后一位可为 X）' }]),
  ];
  if (errors.length) throw new DomainError('invalid', '请填写办件编号和身份证号码后四位', { errors });
  await throttle(models, ip, Date.now());

  // Case numbers carry their city's prefix: one number is one case across the cities.
  const doc = await models.Case.findOne({ no }).select({ tenant: 1, no: 1, status: 1, matter: 1, form: 1, data: 1, items: 1, submittedAt: 1, endedAt: 1, 'tasks.state': 1, 'tasks.outcome': 1, 'tasks.linkedItem': 1 }).lean();
  let expected = DUMMY;
  if (doc && doc.status !== 'draft') {
    const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version).catch(() => null);
    const schema = matter?.forms.find((f) => f.key === doc.form)?.schema as FieldSchema | undefined;
    const last4 = idNumberOf(doc, schema).slice(-4).toUpperCase();
    if (last4.length === 4) expected = Buffer.from(last4);
  }
  const given = Buffer.from(id4);
  const match = expected.length === given.length && crypto.timingSafeEqual(expected, given) && expected !== DUMMY;
  if (!doc || !match) throw notFound();

  await audit(models, { tenant: doc.tenant, name: 'public', ip }, 'case.public-progress', `case:${doc.no}`);
  const ending = itemEnding(doc);
  return {
    no: doc.no!,
    matterTitle: doc.matter.title,
    status: doc.status,
    statusLabel: CASE_STATUS[doc.status] ?? doc.status,
    submittedOn: dayOf(doc.submittedAt),
    endedOn: dayOf(doc.endedAt),
    items: doc.items.map((i) => {
      const status = shownItemStatus(ending, i);
      return { title: i.title, status, statusLabel: ITEM_STATUS[status] ?? status };
    }),
  };
}
