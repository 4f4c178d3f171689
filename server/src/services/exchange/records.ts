/**
 * 省级数据交换 (issue 23 part 5): the 办件信息 records a city's cases give the provincial platform —
 * one at 受理, one at each linked item's 办结, one at the case's 办结 (with its result documents'
 * ids and verification tokens). docs/integrations.md 「省级数据交换」 documents the JSON.
 *
 * No round trip is added to submissions or completions: the engine step that makes such a change
 * marks the case (`exchangeDue`, in the step's own write: `exchangeMark` in advance-case.ts); the
 * collector (`collectExchangeRecords`, run every few seconds next to the sender) reads the marked
 * cases, writes the records that are new — each under a fixed id, so a record is written once
 * whoever collects it — and clears the mark if the case did not move meanwhile.
 *
 *   configureExchange({ endpoint, key });                 // app.ts, from LIANBAN_EXCHANGE_*
 *   await collectExchangeRecords(models);                 // marked cases → exchange_records
 *   await sendDueExchange(models, config);                // sender.ts
 */
import { trusted } from 'mongoose';
import type { CaseDoc, ExchangeEvent, ExchangeRecordDoc, Models } from '../../models';
import type { CaseChanges } from '../case-flow';
import type { CaseWithId } from '../case-store';
import { matterVersion, publishedMatter } from '../definitions';
import { verificationOf } from '../documents';
import { log as logger } from '../../log';

export const EXCHANGE_SCHEMA = 'lianban.exchange.case-record/1';

/** LIANBAN_EXCHANGE_ENDPOINT and LIANBAN_EXCHANGE_KEY; the exchange is on when the endpoint is set. */
export interface ExchangeSettings {
  endpoint: string;
  key: string;
  /** Per request (10 000 ms). */
  timeoutMs?: number;
}

let settings: ExchangeSettings | null = null;

export function configureExchange(s: ExchangeSettings | null | undefined): void {
  settings = s?.endpoint ? s : null;
}

export function exchangeSettings(): ExchangeSettings | null {
  return settings;
}

const ENDED_ITEM = new Set(['done', 'standalone']);
const ITEM_STATUS: Record<string, string> = { done: '办结', standalone: '转单独办理' };
/** How a case ends, as the record names it: 办结 with a result, or 撤回 / 终止 without one. */
const CASE_END: Record<string, { code: string; name: string }> = {
  completed: { code: 'completed', name: '办结（准予）' },
  rejected: { code: 'rejected', name: '办结（不予批准）' },
  withdrawn: { code: 'withdrawn', name: '撤回申请' },
  cancelled: { code: 'cancelled', name: '终止办理' },
};

/** The mark a step writes with the case when it makes something to report (nothing while the exchange is off). */
export function exchangeMark(before: Pick<CaseDoc, 'status' | 'items'>, changes: CaseChanges): { exchangeDue?: true } {
  if (!settings) return {};
  const status = changes.set.status;
  const submitted = before.status === 'draft' && status !== undefined && status !== 'draft';
  const ended = status !== undefined && status in CASE_END && status !== before.status;
  const was = new Map(before.items.map((i) => [i.key, i.status]));
  const itemEnded = (changes.set.items ?? []).some((i) => ENDED_ITEM.has(i.status) && was.get(i.key) !== i.status);
  return submitted || ended || itemEnded ? { exchangeDue: true } : {};
}

/** 张三 → 张*; 欧阳娜娜 → 欧***. */
export function maskName(name: string): string {
  const chars = [...(name ?? '')];
  return chars.length <= 1 ? chars.join('') : `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 10))}`;
}

/** 341502196501150039 → 341502********0039 (region kept, birth date hidden). */
export function maskIdNumber(id: string): string {
  return typeof id === 'string' && id.length === 18 ? `${id.slice(0, 6)}********${id.slice(-4)}` : '';
}

const iso = (d: Date | string | undefined | null) => (d ? new Date(d).toISOString() : null);

interface Context {
  city: { code: string; name: string };
  departments: Map<string, string>;
  matterImplCode: string | null;
  itemImplCodes: Map<string, string>;
  idNumber: string;
  documents: { id: string; kind: string; title: string; issuedAt: string; verifyToken: string | null; verifyUrl: string | null }[];
}

/** The records the case gives as it stands, by id (an id once written is never written again). */
export function recordsFor(doc: CaseWithId, ctx: Context): { id: string; event: ExchangeEvent; payload: Record<string, unknown> }[] {
  if (!doc.no || !doc.submittedAt) return [];
  const out: { id: string; event: ExchangeEvent; payload: Record<string, unknown> }[] = [];
  const base = (event: ExchangeEvent, idSuffix: string) => ({
    recordId: `${doc.tenant}:${doc.no}:${idSuffix}`,
    schema: EXCHANGE_SCHEMA,
    event,
    city: ctx.city,
    caseNo: doc.no,
    implCode: ctx.matterImplCode,
    matter: { key: doc.matter.key, title: doc.matter.title, version: doc.matter.version, implCode: ctx.matterImplCode },
    applicant: { type: '自然人', name: maskName(doc.onBehalfOf?.name ?? doc.applicantName), idNumber: maskIdNumber(ctx.idNumber) },
    channel: doc.channel === 'window' ? 'window' : 'online',
    acceptedAt: iso(doc.submittedAt),
  });
  const dept = (key: string) => ({ code: key, name: ctx.departments.get(key) ?? key });
  out.push({
    id: `${doc.tenant}:${doc.no}:accepted`, event: 'accepted',
    payload: { ...base('accepted', 'accepted'), occurredAt: iso(doc.submittedAt), status: { code: 'accepted', name: '受理' }, departments: doc.items.map((i) => dept(i.department)), items: doc.items.map((i) => ({ key: i.key, title: i.title, implCode: ctx.itemImplCodes.get(i.key) ?? null, department: dept(i.department) })) },
  });
  for (const item of doc.items) {
    if (!ENDED_ITEM.has(item.status)) continue;
    const task = doc.tasks.filter((t) => t.linkedItem === item.key && t.state === 'done').sort((a, b) => new Date(b.completedAt ?? 0).getTime() - new Date(a.completedAt ?? 0).getTime())[0];
    const at = item.resultAt ?? task?.completedAt ?? doc.endedAt ?? null;
    out.push({
      id: `${doc.tenant}:${doc.no}:item:${item.key}`, event: 'item-ended',
      payload: {
        ...base('item-ended', `item:${item.key}`), occurredAt: iso(at), status: { code: item.status, name: ITEM_STATUS[item.status] ?? item.status },
        item: { key: item.key, title: item.title, implCode: ctx.itemImplCodes.get(item.key) ?? null, department: dept(item.department) },
        result: { text: item.resultText ?? null, outcome: task?.outcome ?? null },
      },
    });
  }
  const end = CASE_END[doc.status];
  if (end && doc.endedAt) {
    const result = doc.status === 'completed' || doc.status === 'rejected';
    out.push({
      id: `${doc.tenant}:${doc.no}:ended`, event: 'case-ended',
      payload: {
        ...base('case-ended', 'ended'), occurredAt: iso(doc.endedAt), completedAt: iso(doc.endedAt),
        status: end,
        departments: doc.items.map((i) => dept(i.department)),
        items: doc.items.map((i) => ({ key: i.key, title: i.title, implCode: ctx.itemImplCodes.get(i.key) ?? null, status: i.status, result: i.resultText ?? null })),
        // 撤回 / 终止: no result; the reason stays in the city (free text may name people)
        result: { documents: result ? ctx.documents : [] },
      },
    });
  }
  return out;
}

/** How long a case's end waits for its 办结通知书 / decision to be issued before it is reported without it. */
const DOCUMENT_GRACE_MS = 120_000;

async function contextFor(models: Models, doc: CaseWithId, cities: Map<string, { code: string; name: string }>): Promise<Context> {
  let city = cities.get(doc.tenant);
  if (!city) {
    const t = await models.Tenant.findById(doc.tenant).select({ name: 1 }).lean();
    city = { code: doc.tenant, name: t?.name ?? doc.tenant };
    cities.set(doc.tenant, city);
  }
  const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version).catch(() => null);
  // a code set after the case started: the latest version's
  const latest = matter?.implCode ? null : await publishedMatter(models, doc.tenant, doc.matter.key).catch(() => null);
  const items = matter?.linkedItems ?? [];
  const departments = new Map((await models.Department.find({ tenant: doc.tenant }).select({ key: 1, name: 1 }).lean()).map((d) => [d.key, d.name]));
  const user = doc.onBehalfOf?.idNumber ? null : await models.User.findById(doc.applicant).select({ idNumber: 1 }).lean().catch(() => null);
  const fromForm = typeof doc.data?.idNumber === 'string' ? doc.data.idNumber : '';
  const ended = doc.status === 'completed' || doc.status === 'rejected';
  const docs = ended ? await models.OfficialDocument.find({ tenant: doc.tenant, caseId: String(doc._id) }).select('-pdf').sort({ issuedAt: 1 }).limit(50).lean() : [];
  const documents = [];
  for (const d of docs) {
    if (d.kind === 'receipt' || d.kind === 'correction') continue; // the results only
    const v = await verificationOf(models, d);
    documents.push({ id: String(d._id), kind: d.kind, title: d.title, issuedAt: d.issuedAt.toISOString(), verifyToken: v?.token ?? null, verifyUrl: v?.url ?? null });
  }
  return {
    city, departments, documents,
    matterImplCode: matter?.implCode ?? latest?.implCode ?? null,
    itemImplCodes: new Map([...items, ...(latest?.linkedItems ?? [])].filter((i) => i.implCode).map((i) => [i.key, i.implCode!])),
    idNumber: doc.onBehalfOf?.idNumber ?? user?.idNumber ?? fromForm,
  };
}

/**
 * Turns the marked cases into records (at most `max` cases a call); returns how many records were
 * new. A case whose end is not documented yet waits (at most DOCUMENT_GRACE_MS) for its documents.
 */
export async function collectExchangeRecords(models: Models, opts: { max?: number; now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const cases = await models.Case.find({ exchangeDue: true }).limit(Math.min(opts.max ?? 100, 500)).lean<CaseWithId[]>();
  const cities = new Map<string, { code: string; name: string }>();
  let added = 0;
  for (const doc of cases) {
    try {
      const ended = (doc.status === 'completed' || doc.status === 'rejected') && doc.endedAt;
      if (ended && now.getTime() - new Date(doc.endedAt!).getTime() < DOCUMENT_GRACE_MS) {
        const result = await models.OfficialDocument.exists({ tenant: doc.tenant, caseId: String(doc._id), kind: doc.status === 'completed' ? 'completion' : 'rejection' });
        if (!result) continue; // its 办结通知书 / decision is being issued: next round
      }
      const records = recordsFor(doc, await contextFor(models, doc, cities));
      const known = new Set((await models.ExchangeRecord.find({ _id: trusted({ $in: records.map((r) => r.id) }) }).select({ _id: 1 }).lean()).map((r) => r._id));
      for (const r of records) {
        if (known.has(r.id)) continue;
        const record: Omit<ExchangeRecordDoc, '_id'> = {
          tenant: doc.tenant, caseId: String(doc._id), caseNo: doc.no!, event: r.event, payload: r.payload,
          status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null, receiptId: null, responseCode: null, reason: null, history: [], createdAt: now, ackedAt: null,
        };
        const res = await models.ExchangeRecord.updateOne({ _id: r.id }, { $setOnInsert: record }, { upsert: true }).catch((err: { code?: number }) => {
          if (err.code !== 11000) throw err; // another process wrote it first
          return null;
        });
        if (res?.upsertedCount) added++;
      }
      // cleared only if the case did not move meanwhile (then it is looked at again)
      await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, { $unset: { exchangeDue: 1 } });
    } catch (err) {
      logger.warn({ component: 'exchange', case: String(doc._id), err: (err as Error).message }, 'exchange records not collected, will retry');
    }
  }
  return added;
}
