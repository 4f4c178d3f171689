/**
 * The SMS outbox (issue 23 part 2). The notification dispatcher (notify.ts) hands each claimed
 * notification to `enqueueSms`, which turns the kinds that have a template into one SmsMessage
 * (unique per notification: enqueued once, whichever process claims it). `sendDueSms` then
 * sends what is due, one message claimed at a time (several processes never send one twice
 * while its claim holds), under the per-number budget:
 *
 * - rate limit: at most one SMS a number per `minIntervalMs` (60 s) — a later one waits (delayed,
 *   not an attempt); at most `dailyMax` (10) a number per China-time day — the rest are dropped
 *   with `reason: rate-limited-daily` (the in-app notification still shows it);
 * - retries: a failure the provider calls transient (throttling, its own trouble, the network)
 *   is tried again after 30 s, 1 min, 2 min, … (doubling, at most 1 h), up to `maxAttempts` (5),
 *   then `failed`; a refusal (bad template, bad number, signature) fails at once;
 * - each attempt is recorded (`history`: time, code), the last answer's code and the provider's
 *   message id kept; the admin lists them (`GET /admin/sms/messages`).
 *
 *   await enqueueSms(models, notification, { publicOrigin });
 *   await sendDueSms(models, provider, { sign: '某市政务服务' });
 */
import crypto from 'node:crypto';
import { trusted } from 'mongoose';
import { isValidMobile, walkSchema, type FieldSchema } from '@lianban/runtime';
import type { SmsMessageView } from '@lianban/runtime/contract';
import type { CaseDoc, Models, NotificationDoc, SmsMessageDoc } from '../../models';
import { log as logger } from '../../log';
import { SmsError, maskPhone, type SmsProvider } from './providers';
import { STAFF_KINDS, smsKindOf, smsParams, smsTemplatesOf } from './templates';
import { evaluationLinker } from '../evaluation';
import { backoffMs, claimNextDue } from '../retry-outbox';
import { betweenRequests } from '../background-gate';

export interface SmsLimits {
  /** One SMS per number per this many ms (60 000). */
  minIntervalMs: number;
  /** SMS per number per China-time day (10). */
  dailyMax: number;
  /** Attempts at the provider before `failed` (5). */
  maxAttempts: number;
  /** First retry delay, doubled each time (30 000), capped at `maxDelayMs` (3 600 000). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claimed message is held before another process may take it over (60 000). */
  claimMs: number;
}

export const DEFAULT_SMS_LIMITS: SmsLimits = { minIntervalMs: 60_000, dailyMax: 10, maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 3_600_000, claimMs: 60_000 };

type NotificationWithId = NotificationDoc & { _id: unknown };

type CaseForSms = Pick<CaseDoc, 'tenant' | 'applicant' | 'onBehalfOf' | 'matter' | 'form' | 'data'>;

/**
 * The data path of the first `x-field-type: mobile` field of a form schema (display order), by the
 * runtime's one schema walk (`walkSchema`), whose path rules are Formily's: a `void` node (a 分组
 * section) adds no segment. This used to be a walk of its own that put the section's key in the
 * path: 常州's 本人手机 sits in the section `approval` with its value at `data.mobile`, was looked
 * for at `approval.mobile`, and an applicant whose account had no number got no SMS. A mobile field
 * in a rows field (one number per row) is not the applicant's.
 */
export function mobileFieldPath(schema: unknown): string[] | null {
  if (!schema || typeof schema !== 'object') return null;
  let found: string | null = null;
  walkSchema(schema as FieldSchema, (n) => {
    if (n.keyed && !n.rows && n.schema['x-field-type'] === 'mobile') {
      found = n.path;
      return 'stop';
    }
    return n.keyed ? 'skip' : undefined;
  });
  return found === null ? null : (found as string).split('.');
}

/**
 * The mobile field of a case's form, remembered per published matter version (#24, latency: the
 * dispatcher read the version's forms — tens of KB — for every applicant notification of an
 * account without a phone). A published version never changes; bounded, the oldest dropped first.
 */
const mobilePaths = new WeakMap<Models, Map<string, string[] | null>>();
const MOBILE_PATHS_MAX = 500;
async function mobilePathOf(models: Models, caseDoc: CaseForSms): Promise<string[] | null> {
  const key = JSON.stringify([caseDoc.tenant, caseDoc.matter?.key, caseDoc.matter?.version, caseDoc.form]);
  let cache = mobilePaths.get(models);
  if (!cache) mobilePaths.set(models, (cache = new Map()));
  if (cache.has(key)) return cache.get(key)!;
  const matter = await models.MatterVersion.findOne({ tenant: caseDoc.tenant, key: caseDoc.matter?.key, version: caseDoc.matter?.version }).select({ forms: 1 }).lean();
  const path = mobileFieldPath(matter?.forms.find((f) => f.key === caseDoc.form)?.schema);
  // an unknown version (not found) is not remembered: it may be published in a moment
  if (matter) {
    if (cache.size >= MOBILE_PATHS_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, path);
  }
  return path;
}

/**
 * The number an SMS for `userId` goes to: the account's (`accountPhone`); for the case's
 * applicant, else the one the counter took down, else the first mobile field
 * (`x-field-type: mobile`) of the application.
 */
async function phoneOf(models: Models, userId: string, accountPhone: string | undefined, caseDoc: CaseForSms | null): Promise<string | null> {
  if (accountPhone && isValidMobile(accountPhone)) return accountPhone;
  if (!caseDoc || caseDoc.applicant !== userId) return null;
  const counter = caseDoc.onBehalfOf?.phone;
  if (counter && isValidMobile(counter)) return counter;
  const path = await mobilePathOf(models, caseDoc);
  let value: unknown = caseDoc.data;
  for (const key of path ?? []) value = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  return path && typeof value === 'string' && isValidMobile(value) ? value : null;
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;
/** A form field key usable in a projection path. */
const FIELD_KEY = /^[A-Za-z_][\w-]{0,63}$/;

/**
 * Puts into `data` of the cases whose applicant the account and the counter gave no valid number
 * the form's mobile field (`phoneOf` reads it): one read of those cases, projected to their forms'
 * mobile fields (#24: the dispatcher read every case's whole application before).
 */
async function readMobileFields(models: Models, items: { n: NotificationWithId; caseDoc: (CaseForSms & { _id: unknown }) | undefined }[], phoneByUser: Map<string, string | undefined>): Promise<void> {
  const need = new Map<string, CaseForSms & { _id: unknown }>();
  const fields = new Set<string>();
  for (const { n, caseDoc } of items) {
    if (!caseDoc || caseDoc.tenant !== n.tenant || caseDoc.applicant !== n.user || need.has(String(caseDoc._id))) continue;
    const account = phoneByUser.get(n.user);
    if ((account && isValidMobile(account)) || (caseDoc.onBehalfOf?.phone && isValidMobile(caseDoc.onBehalfOf.phone))) continue;
    const path = await mobilePathOf(models, caseDoc);
    if (!path) continue;
    need.set(String(caseDoc._id), caseDoc);
    // a key that cannot be a projection path: the whole application, as before
    fields.add(path.every((k) => FIELD_KEY.test(k)) ? `data.${path.join('.')}` : 'data');
  }
  if (!need.size) return;
  // one path inside another (`data.contact` of one form, `data.contact.mobile` of another) is a
  // path collision to the database: the outer one covers both
  const paths = fields.has('data') ? ['data'] : [...fields].filter((f) => ![...fields].some((g) => f.startsWith(`${g}.`)));
  const projection = Object.fromEntries(paths.map((f) => [f, 1]));
  for (const d of await models.Case.find({ _id: trusted({ $in: [...need.values()].map((c) => c._id) }) }).select(projection).lean<{ _id: unknown; data?: CaseForSms['data'] }[]>()) {
    const caseDoc = need.get(String(d._id));
    if (caseDoc) caseDoc.data = d.data ?? {};
  }
}

/**
 * The SMS of one notification, if its kind has one: queued (pending), or recorded as dropped
 * with why (no number, the template not registered or switched off). Idempotent.
 */
export async function enqueueSms(models: Models, n: NotificationWithId, opts: { publicOrigin: string; now?: Date }): Promise<void> {
  await enqueueSmsBatch(models, [n], opts);
}

/**
 * `enqueueSms` for a batch of notifications (the dispatcher's claim, services/notify.ts) in a
 * fixed number of commands whatever its size (#24, latency): the cities' templates, the cases and
 * the accounts each read once (`$in`), the messages upserted in one bulk write; the matter
 * version's mobile field only for an applicant without a number (remembered per version), the
 * city's signing key once per city with a 办结 rating link. Idempotent, like `enqueueSms`.
 */
export async function enqueueSmsBatch(models: Models, ns: NotificationWithId[], opts: { publicOrigin: string; now?: Date }): Promise<void> {
  const wanted = ns.flatMap((n) => {
    const kind = smsKindOf(n);
    return kind ? [{ n, kind }] : [];
  });
  if (!wanted.length) return;
  const now = opts.now ?? new Date();
  const origin = opts.publicOrigin.replace(/\/+$/, '');
  const unique = (xs: string[]) => [...new Set(xs)];
  const caseIds = unique(wanted.map(({ n }) => n.caseId).filter((id) => OBJECT_ID.test(id)));
  const userIds = unique(wanted.map(({ n }) => n.user).filter((id) => OBJECT_ID.test(id)));
  const [templates, cases, users] = await Promise.all([
    smsTemplatesOf(models, unique(wanted.map(({ n }) => n.tenant))),
    // not the application's data (kilobytes a case): only its mobile field, below, and only where needed
    caseIds.length ? models.Case.find({ _id: trusted({ $in: caseIds }) }).select({ tenant: 1, applicant: 1, onBehalfOf: 1, matter: 1, form: 1 }).lean<(CaseForSms & { _id: unknown })[]>() : [],
    userIds.length ? models.User.find({ _id: trusted({ $in: userIds }) }).select({ phone: 1 }).lean() : [],
  ]);
  const caseById = new Map(cases.map((c) => [String(c._id), c]));
  const phoneByUser = new Map(users.map((u) => [String(u._id), u.phone ?? undefined]));
  await readMobileFields(models, wanted.map(({ n }) => ({ n, caseDoc: caseById.get(n.caseId) })), phoneByUser);
  const linkers = new Map<string, (caseId: string) => string>();
  const docs: SmsMessageDoc[] = [];
  for (const { n, kind } of wanted) {
    const template = templates.get(n.tenant)!.find((t) => t.kind === kind)!;
    const found = caseById.get(n.caseId);
    const caseDoc = found && found.tenant === n.tenant ? found : null; // another city's case is none of this one's
    const phone = await phoneOf(models, n.user, phoneByUser.get(n.user), caseDoc);
    const link = `${origin}${STAFF_KINDS.has(kind) ? '/tasks' : `/my/cases/${encodeURIComponent(n.caseId)}`}`;
    // 好差评 through the SMS: the signed rating link of the ended case (no sign-in needed, nothing personal in it)
    let rateLink = '';
    if (template.params.includes('rateLink') && caseDoc) {
      let linker = linkers.get(n.tenant);
      if (!linker) linkers.set(n.tenant, (linker = await evaluationLinker(models, n.tenant)));
      rateLink = `${origin}${linker(n.caseId)}`;
    }
    const params = smsParams(template, { caseNo: n.caseNo ?? '', link, matter: caseDoc?.matter?.title ?? '', rateLink });
    const reason = !template.enabled ? 'template-disabled' : !template.code ? 'no-template' : !phone ? 'no-phone' : null;
    docs.push({
      tenant: n.tenant, notification: String(n._id), user: n.user, caseId: n.caseId, caseNo: n.caseNo, kind,
      phone: phone ?? '', templateCode: template.code, params,
      status: reason ? 'dropped' : 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null, reason,
      providerMessageId: null, responseCode: null, history: [], createdAt: now, sentAt: null,
    });
  }
  // upserts on the notification: a second enqueue of the same notification changes nothing
  await models.SmsMessage.bulkWrite(
    docs.map((doc) => ({ updateOne: { filter: { notification: doc.notification }, update: { $setOnInsert: doc }, upsert: true } })),
    { ordered: false },
  ).catch((err: { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] }) => {
    const codes = err.writeErrors?.length ? err.writeErrors.map((e) => e.code ?? e.err?.code) : [err.code];
    if (codes.some((c) => c !== 11000)) throw err;
  });
}

const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const budgetKey = (phone: string) => crypto.createHash('sha256').update(`sms:${phone}`).digest('hex');

/**
 * Takes one send from the number's budget (compare-and-set, so two processes never both take
 * the last one): `ok`, `wait` until a time, or `daily` (today's are used up).
 */
async function takeBudget(models: Models, phone: string, now: Date, limits: SmsLimits): Promise<{ ok: true } | { ok: false; wait: Date } | { ok: false; daily: true }> {
  const _id = budgetKey(phone);
  const day = chinaDay(now);
  const current = await models.SmsBudget.findById(_id).lean();
  if (!current) {
    try {
      await models.SmsBudget.create({ _id, day, count: 1, nextAt: new Date(now.getTime() + limits.minIntervalMs) });
      return { ok: true };
    } catch {
      return { ok: false, wait: new Date(now.getTime() + 1000) }; // another process took the first: look again shortly
    }
  }
  const count = current.day === day ? current.count : 0;
  if (count >= limits.dailyMax) return { ok: false, daily: true };
  if (current.nextAt.getTime() > now.getTime()) return { ok: false, wait: current.nextAt };
  const res = await models.SmsBudget.updateOne(
    { _id, day: current.day, count: current.count, nextAt: current.nextAt },
    { $set: { day, count: count + 1, nextAt: new Date(now.getTime() + limits.minIntervalMs) } },
  );
  return res.modifiedCount === 1 ? { ok: true } : { ok: false, wait: new Date(now.getTime() + 1000) };
}

/** Claims the next due message (pending and due, or a claim that ran out): one process gets it. */
const claimNext = (models: Models, now: Date, limits: SmsLimits) => claimNextDue(models.SmsMessage, now, limits.claimMs);

export { backoffMs };

/**
 * Sends the due messages (at most `max` claims per call); returns what happened to each.
 * `now` is for tests; the provider's call itself takes real time.
 */
export async function sendDueSms(models: Models, provider: SmsProvider, opts: { sign: string; limits?: Partial<SmsLimits>; now?: () => Date; max?: number }): Promise<{ sent: number; failed: number; delayed: number; dropped: number; retrying: number }> {
  const limits = { ...DEFAULT_SMS_LIMITS, ...opts.limits };
  const clock = opts.now ?? (() => new Date());
  const tally = { sent: 0, failed: 0, delayed: 0, dropped: 0, retrying: 0 };
  const held = new Set<string>();
  for (let i = 0; i < (opts.max ?? 100); i++) {
    await betweenRequests();
    const now = clock();
    const m = await claimNext(models, now, limits);
    if (!m) break;
    const id = String(m._id);
    if (held.has(id)) { // delayed in this run already and due again at once: leave it for the next
      await models.SmsMessage.updateOne({ _id: m._id, status: 'sending' }, { $set: { status: 'pending', lockedUntil: null } });
      break;
    }
    const budget = await takeBudget(models, m.phone, now, limits);
    if (!budget.ok) {
      if ('daily' in budget) {
        await models.SmsMessage.updateOne({ _id: m._id }, { $set: { status: 'dropped', reason: 'rate-limited-daily', lockedUntil: null } });
        tally.dropped++;
      } else {
        await models.SmsMessage.updateOne({ _id: m._id }, { $set: { status: 'pending', nextAttemptAt: budget.wait, lockedUntil: null } });
        tally.delayed++;
        held.add(id);
      }
      continue;
    }
    const attempts = m.attempts + 1;
    try {
      const res = await provider.send({ phone: m.phone, templateCode: m.templateCode, params: m.params, signName: opts.sign });
      await models.SmsMessage.updateOne({ _id: m._id }, {
        $set: { status: 'sent', attempts, sentAt: clock(), providerMessageId: res.providerMessageId, responseCode: res.code, reason: null, lockedUntil: null },
        $push: { history: { at: clock(), ok: true, code: res.code } },
      });
      tally.sent++;
    } catch (err) {
      const e = err instanceof SmsError ? err : new SmsError('error', (err as Error).message, true);
      const again = e.retryable && attempts < limits.maxAttempts;
      await models.SmsMessage.updateOne({ _id: m._id }, {
        $set: {
          status: again ? 'pending' : 'failed', attempts, responseCode: e.code, reason: again ? null : e.code, lockedUntil: null,
          nextAttemptAt: again ? new Date(now.getTime() + backoffMs(attempts, limits)) : m.nextAttemptAt,
        },
        $push: { history: { at: clock(), ok: false, code: e.code, message: e.message.slice(0, 200) } },
      });
      if (again) tally.retrying++; else tally.failed++;
      logger.warn({ component: 'sms', sms: id, code: e.code, attempts, retry: again }, again ? 'sms not sent, will retry' : 'sms failed');
      held.add(id);
    }
  }
  return tally;
}

/** `GET /admin/sms/messages`: the city's latest messages (numbers masked), optionally of one status. */
export async function listSmsMessages(models: Models, tenant: string, status?: string, limit = 100): Promise<SmsMessageView[]> {
  const filter: Record<string, unknown> = { tenant };
  if (status) filter.status = status;
  const docs = await models.SmsMessage.find(filter).sort({ createdAt: -1 }).limit(Math.min(Math.max(limit, 1), 500)).lean();
  return docs.map((d) => ({
    id: String(d._id), caseId: d.caseId, caseNo: d.caseNo, kind: d.kind, phone: d.phone ? maskPhone(d.phone) : '', templateCode: d.templateCode,
    status: d.status, attempts: d.attempts, reason: d.reason, providerMessageId: d.providerMessageId, responseCode: d.responseCode,
    createdAt: d.createdAt.toISOString(), sentAt: d.sentAt ? d.sentAt.toISOString() : null,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
  }));
}
