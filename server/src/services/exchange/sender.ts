/**
 * The exchange's sender: posts each due 办件信息 record to the provincial platform
 * (LIANBAN_EXCHANGE_ENDPOINT), signed with HMAC-SHA256 (LIANBAN_EXCHANGE_KEY), and keeps the
 * platform's receipt id. One record is claimed at a time (services/retry-outbox.ts), so processes
 * sharing a database never send one twice while its claim holds; the platform de-duplicates on
 * the record id should a claim run out mid-request.
 *
 *   POST <endpoint>   Content-Type: application/json; charset=utf-8
 *   X-Lianban-Record-Id: luan:LA202506010001:accepted
 *   X-Lianban-Timestamp: 1748736000000
 *   X-Lianban-Signature: sha256=<hex HMAC-SHA256(key, `${timestamp}.${body}`)>
 *   → 2xx {"receiptId":"…"} acknowledged (409 with a receiptId: it had it already — acknowledged too)
 *   → 408, 425, 429, 5xx, network trouble, a timeout, or 2xx without receiptId: tried again after
 *     30 s, 1 min, 2 min, … (at most 1 h), up to 8 attempts, then `failed`
 *   → any other 4xx: `failed` at once (the admin retries it after fixing the cause)
 */
import crypto from 'node:crypto';
import type { ExchangeRecordView } from '@lianban/runtime/contract';
import type { Models } from '../../models';
import { log as logger } from '../../log';
import { backoffMs, claimNextDue, type BackoffLimits } from '../retry-outbox';
import { DomainError } from '../errors';
import { audit, type Actor } from '../audit';
import { publishedMatter } from '../definitions';
import type { ExchangeSettings } from './records';

export interface ExchangeLimits extends BackoffLimits {
  maxAttempts: number;
  claimMs: number;
}

export const DEFAULT_EXCHANGE_LIMITS: ExchangeLimits = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 3_600_000, claimMs: 60_000 };

/** The signature header's value for a body sent at `timestamp`. */
export function exchangeSignature(key: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`;
}

class SendError extends Error {
  constructor(readonly code: string, message: string, readonly retryable: boolean) { super(message); }
}

const RETRY_STATUS = new Set([408, 425, 429]);

async function post(settings: ExchangeSettings, id: string, payload: Record<string, unknown>): Promise<{ receiptId: string; code: string }> {
  const body = JSON.stringify(payload);
  const timestamp = String(Date.now());
  let res: Response;
  try {
    res = await fetch(settings.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-lianban-record-id': id, 'x-lianban-timestamp': timestamp, 'x-lianban-signature': exchangeSignature(settings.key, timestamp, body) },
      body,
      signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const e = err as Error;
    throw new SendError(e.name === 'TimeoutError' ? 'timeout' : 'network', e.message, true);
  }
  const text = (await res.text().catch(() => '')).slice(0, 4000);
  let answer: { receiptId?: unknown; code?: unknown; message?: unknown } = {};
  try { answer = JSON.parse(text) as typeof answer; } catch { /* not JSON: the status decides */ }
  const receiptId = typeof answer.receiptId === 'string' && answer.receiptId.length <= 200 ? answer.receiptId : null;
  if ((res.ok || res.status === 409) && receiptId) return { receiptId, code: String(res.status) };
  const message = typeof answer.message === 'string' ? answer.message.slice(0, 200) : text.slice(0, 200);
  if (res.ok) throw new SendError('no-receipt', 'the platform answered without a receiptId', true);
  throw new SendError(String(res.status), message, res.status >= 500 || RETRY_STATUS.has(res.status));
}

/** Sends the due records (at most `max` a call); returns what happened. */
export async function sendDueExchange(models: Models, settings: ExchangeSettings, opts: { limits?: Partial<ExchangeLimits>; now?: () => Date; max?: number } = {}): Promise<{ acked: number; retrying: number; failed: number }> {
  const limits = { ...DEFAULT_EXCHANGE_LIMITS, ...opts.limits };
  const clock = opts.now ?? (() => new Date());
  const tally = { acked: 0, retrying: 0, failed: 0 };
  const seen = new Set<string>();
  for (let i = 0; i < (opts.max ?? 100); i++) {
    const now = clock();
    const r = await claimNextDue(models.ExchangeRecord, now, limits.claimMs);
    if (!r) break;
    const id = String(r._id);
    if (seen.has(id)) { // due again at once within this run: leave it for the next
      await models.ExchangeRecord.updateOne({ _id: id, status: 'sending' }, { $set: { status: 'pending', lockedUntil: null } });
      break;
    }
    seen.add(id);
    const attempts = r.attempts + 1;
    try {
      const res = await post(settings, id, r.payload);
      await models.ExchangeRecord.updateOne({ _id: id }, {
        $set: { status: 'acked', attempts, receiptId: res.receiptId, responseCode: res.code, reason: null, lockedUntil: null, ackedAt: clock() },
        $push: { history: { at: clock(), ok: true, code: res.code } },
      });
      tally.acked++;
    } catch (err) {
      const e = err instanceof SendError ? err : new SendError('error', (err as Error).message, true);
      const again = e.retryable && attempts < limits.maxAttempts;
      await models.ExchangeRecord.updateOne({ _id: id }, {
        $set: {
          status: again ? 'pending' : 'failed', attempts, responseCode: e.code, reason: again ? null : `${e.code}${e.message ? `: ${e.message}` : ''}`.slice(0, 300), lockedUntil: null,
          nextAttemptAt: again ? new Date(now.getTime() + backoffMs(attempts, limits)) : r.nextAttemptAt,
        },
        $push: { history: { $each: [{ at: clock(), ok: false, code: e.code, message: e.message.slice(0, 200) }], $slice: -20 } },
      });
      if (again) tally.retrying++; else tally.failed++;
      logger.warn({ component: 'exchange', record: id, code: e.code, attempts, retry: again }, again ? 'exchange record not delivered, will retry' : 'exchange record failed');
    }
  }
  return tally;
}

const view = (d: Awaited<ReturnType<typeof findRecords>>[number]): ExchangeRecordView => ({
  id: d._id, caseId: d.caseId, caseNo: d.caseNo, event: d.event, status: d.status, attempts: d.attempts,
  receiptId: d.receiptId, responseCode: d.responseCode, reason: d.reason, implCode: (d.payload.implCode as string | null) ?? null,
  createdAt: d.createdAt.toISOString(), ackedAt: d.ackedAt ? d.ackedAt.toISOString() : null,
  nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
});

function findRecords(models: Models, filter: Record<string, unknown>, limit: number) {
  return models.ExchangeRecord.find(filter).sort({ createdAt: -1 }).limit(limit).lean();
}

/** `GET /admin/exchange`: the city's latest records and their state (optionally of one status or case number). */
export async function listExchangeRecords(models: Models, tenant: string, q: { status?: string; caseNo?: string; limit?: number } = {}): Promise<ExchangeRecordView[]> {
  const filter: Record<string, unknown> = { tenant };
  if (q.status) filter.status = q.status;
  if (q.caseNo) filter.caseNo = q.caseNo;
  return (await findRecords(models, filter, Math.min(Math.max(q.limit ?? 100, 1), 500))).map(view);
}

/**
 * `POST /admin/exchange/:id/retry`: a failed record goes out again at once (attempts counted
 * afresh). A record sent without 实施编码 takes the matter's code as published now. Audited.
 */
export async function retryExchangeRecord(models: Models, actor: Actor, id: string): Promise<ExchangeRecordView> {
  const r = await models.ExchangeRecord.findOne({ _id: id, tenant: actor.tenant }).lean();
  if (!r) throw new DomainError('not-found', '交换记录不存在');
  if (r.status !== 'failed') throw new DomainError('moved-on', r.status === 'acked' ? '该记录已被省平台确认接收，无需重发' : '该记录正在发送队列中，无需重发');
  const set: Record<string, unknown> = { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedUntil: null, reason: null };
  if (!r.payload.implCode) {
    const matter = r.payload.matter as { key?: string } | undefined;
    const latest = matter?.key ? await publishedMatter(models, actor.tenant, matter.key).catch(() => null) : null;
    if (latest?.implCode) { set['payload.implCode'] = latest.implCode; set['payload.matter.implCode'] = latest.implCode; }
  }
  const res = await models.ExchangeRecord.updateOne({ _id: id, tenant: actor.tenant, status: 'failed' }, { $set: set });
  if (res.modifiedCount === 0) throw new DomainError('moved-on', '该记录的状态刚刚改变，请刷新后再试');
  await audit(models, actor, 'exchange.retry', `exchange:${id}`, { caseNo: r.caseNo, event: r.event });
  return view((await models.ExchangeRecord.findById(id).lean())!);
}
