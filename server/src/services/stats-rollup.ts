/**
 * The statistics' rollups, maintained off the request path (docs/stats.md):
 *
 *   const folder = startStatsRollup(models);   // every few seconds, one process of several (a lease)
 *   await foldStats(models);                   // the same once, now (tests, bench)
 *   await rollupCityStats(models, tenant, q, now);  // CaseStats from the rollups, or null (not folded yet)
 *
 * Each case contributes one small record (`Contribution`): its period figures (China day of
 * submission, matter, status, channel, linked items, finished department tasks' durations, 补正,
 * 好差评) and its now-figures (open department tasks with due dates, 承诺时限). The folder reads the
 * cases changed since the city's watermark (index `{tenant, updatedAt}`; mongoose sets `updatedAt`
 * on every write, so no write is added to any request), subtracts the case's last contribution
 * from the rows and adds the new one, in one transaction per batch (so a batch folded twice, or
 * half-folded by a process that died, changes nothing more). Rows: per (city, China day or hour,
 * matter) in `stats_rollups`, per (city, matter) and (city, matter, due hour) in `stats_open`. A
 * request reads the rows of its whole days and hours plus the contributions of its ≤ 2 partial
 * hours, and folds in memory the cases changed since the watermark (at most `MAX_PENDING`), all
 * in one snapshot: the answer is current (`asOf`).
 * Durations are kept as histograms of fixed buckets (ratio 1.02): medians and p90 are within 1 %
 * (+ 1 ms) of the exact ranked value.
 */
import crypto from 'node:crypto';
import { deadlineCounts, type DeadlineCase } from '@lianban/runtime';
import type { CaseStats, DurationFigures, EvaluationFigures, StatusCounts } from '@lianban/runtime/contract';
import { trusted, type ClientSession } from 'mongoose';
import type { Models } from '../models';
import { log as logger } from '../log';
import { betweenRequests } from './background-gate';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHINA = 8 * HOUR;
/** 即将超期: due within this many hours (as services/stats.ts). */
const DUE_SOON_MS = 24 * HOUR;
/** Cases per round trip of the folder's cursor (folded per transaction: see `Pace`). */
export const FOLD_BATCH = 500;
/**
 * The folder reads a city's changed cases (its first fold: all of them) in chunks of this many,
 * and folds each chunk ordered by submission day (a batch then rewrites the rows of a few days,
 * not of all 60-odd days its cases would otherwise span), in batches of `Pace.size` cases.
 */
const BACKFILL_CHUNK = 10_000;
/**
 * Changes are looked for from the watermark less this much: writes whose `updatedAt` was taken
 * before the watermark but committed after it (transactions live ≤ 60 s; clocks of the
 * processes within a minute of each other). Refolding an unchanged case changes nothing.
 */
export const OVERLAP_MS = 120_000;
/**
 * A tick looks back only this far; the whole OVERLAP_MS once every SWEEP_MS per city. Looking
 * back two minutes every 2 s re-read every case changed in those two minutes sixty times over —
 * at 100 steps/s, 12k cases projected and compared per tick, the largest stall of a busy server
 * (#24). A write committed later than this after its `updatedAt` is folded by the next sweep.
 */
export const TICK_OVERLAP_MS = 10_000;
export const SWEEP_MS = 60_000;
/** A request folds at most this many changed cases itself; beyond, it answers from the rollups alone. */
export const MAX_PENDING = 2000;
/** Duration histogram: bucket b holds [BASE^b, BASE^(b+1)) ms; its value is BASE^(b+½), within 1 % (+1 ms). */
export const BUCKET_BASE = 1.02;
const LOG_BASE = Math.log(BUCKET_BASE);
const LEASE = 'stats-rollup';
const LEASE_MS = 30_000;
const MAX_CITIES = 1000;
const ENDED = ['completed', 'rejected', 'withdrawn', 'cancelled'];
const CLOCK_STOPPED = ['draft', 'suspended', 'needs-correction'];

export const chinaDay = (ms: number) => new Date(ms + CHINA).toISOString().slice(0, 10);
/** The China hour of an instant: `YYYY-MM-DDTHH`. */
export const chinaHour = (ms: number) => new Date(ms + CHINA).toISOString().slice(0, 13);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`);
export const bucketOf = (ms: number) => (ms < 1 ? -1 : Math.floor(Math.log(ms) / LOG_BASE));
export const bucketValue = (b: number) => (b < 0 ? 0 : Math.round(BUCKET_BASE ** (b + 0.5)));

// ---- one case's contribution ---------------------------------------------------------------

interface PeriodPart {
  at: number;
  day: string;
  mt: string;
  st: string;
  ch: 'online' | 'window';
  /** Linked items: key, title, department, status, score (0: none). */
  items: [string, string, string, string, number][];
  /** Finished department tasks: elementId, name, department, ms. */
  tasks: [string, string, string, number][];
  cor: 0 | 1;
  /** 好差评 score of the case (0: none) and the department of its last department task. */
  ev: number;
  evd: string;
}
export interface Contribution {
  /** Matter key. */
  mk: string;
  p: PeriodPart | null;
  /** Open department tasks of a running case: department, due (ms) or null. */
  open: [string, number | null][];
  dl: DeadlineCase | null;
}

/**
 * The fields of a case the figures need (a projection: not the form data, and of the tasks, linked
 * items and timeline only what `contributionOf` reads). The embedded database answers dotted
 * inclusions without mingo (`projectTree`, embedded-db/src/commands/read.ts); against the whole
 * `tasks`, `items`, `timeline` and `matter` this halves the bytes a case sends (2.5 → 1.3 KB in the
 * test data, more for real cases whose tasks carry their forms) and the read of 25 cases took
 * 2.0–2.3 instead of 2.7–3.6 ms, 1.1–1.4 instead of 1.6–2.2 ms of the reader's CPU (#24, session 9).
 */
export const CASE_FIELDS = {
  tenant: 1, status: 1, submittedAt: 1, 'matter.key': 1, 'matter.title': 1, channel: 1,
  'items.key': 1, 'items.title': 1, 'items.department': 1, 'items.status': 1, 'items.evaluation.score': 1,
  'tasks.elementId': 1, 'tasks.name': 1, 'tasks.department': 1, 'tasks.state': 1, 'tasks.createdAt': 1, 'tasks.completedAt': 1, 'tasks.dueAt': 1,
  'timeline.action': 1, 'evaluation.score': 1, deadline: 1, 'clock.pausedAt': 1, updatedAt: 1, rev: 1,
} as const;

/**
 * What a folder remembers of the cases it folded lately, per city: case id → fingerprint
 * (`updatedAt` ms and revision) of the state it folded. A tick or sweep first reads only the
 * fingerprints of the cases in its look-back window and reads the figures' fields of those whose
 * fingerprint differs — at 100 steps/s a tick's 10-s window holds ~1000 cases of which ~200 changed
 * since the last tick, and re-reading all of them whole every 2 s was the largest stall of a busy
 * server (#24). Every write that changes what a case contributes moves its revision (they are the
 * state changes, each under the revision check) and mongoose's `updatedAt`; writes that move
 * neither (a 出具 entry in the timeline) contribute nothing. Entries older than the sweep's
 * look-back are dropped, so it holds at most the cases changed in two minutes.
 */
export type FoldMemory = Map<string, Map<string, string>>;
const fingerprint = (c: { updatedAt?: unknown; rev?: unknown }) => `${isDate(c.updatedAt) ? +c.updatedAt : 'none'}:${typeof c.rev === 'number' ? c.rev : 'none'}`;
/** Cases per round trip when the changed ones are read by id (a round trip is one synchronous chunk in each process). */
const CHANGED_READ = 25;
const FINGERPRINT_BATCH = 250;

/** A case as read through CASE_FIELDS: every field checked where it is used. */
interface Lean {
  _id: unknown;
  status?: string;
  submittedAt?: unknown;
  matter?: { key?: string; title?: string } | null;
  channel?: string;
  items?: ({ key?: unknown; title?: string; department?: string; status?: unknown; evaluation?: { score?: unknown } | null } | null)[];
  tasks?: ({ elementId?: string; name?: string; department?: string; state?: string; createdAt?: unknown; completedAt?: unknown; dueAt?: unknown } | null)[];
  timeline?: ({ action?: string } | null)[];
  evaluation?: { score?: unknown } | null;
  deadline?: { dueAt?: unknown } | null;
  clock?: { pausedAt?: unknown } | null;
  updatedAt?: Date;
  rev?: number;
}
const isDate = (v: unknown): v is Date => v instanceof Date && !Number.isNaN(+v);
const validScore = (s: unknown): number => (typeof s === 'number' && Number.isInteger(s) && s >= 1 && s <= 5 ? s : 0);

/** What a case adds to the figures (null: nothing). Mirrors the scan's pipelines (services/stats.ts). */
export function contributionOf(c: Lean): Contribution | null {
  const staff = (Array.isArray(c.tasks) ? c.tasks : []).filter((t) => !!t && t.department !== 'applicant') as NonNullable<NonNullable<Lean['tasks']>[number]>[];
  let p: PeriodPart | null = null;
  if (c.status !== 'draft' && isDate(c.submittedAt)) {
    const items: PeriodPart['items'] = [];
    for (const it of Array.isArray(c.items) ? c.items : []) {
      if (!it || typeof it.key !== 'string' || !it.key) continue;
      items.push([it.key, typeof it.title === 'string' ? it.title : it.key, it.department ?? '', typeof it.status === 'string' ? it.status : 'unknown', validScore(it.evaluation?.score)]);
    }
    const done: PeriodPart['tasks'] = [];
    for (const t of staff) {
      if (t.state !== 'done' || !isDate(t.createdAt) || !isDate(t.completedAt)) continue;
      done.push([t.elementId ?? '', t.name ?? '', t.department ?? '', +t.completedAt - +t.createdAt]);
    }
    const timeline = Array.isArray(c.timeline) ? c.timeline : [];
    p = {
      at: +c.submittedAt, day: chinaDay(+c.submittedAt), mt: c.matter?.title ?? c.matter?.key ?? '', st: String(c.status),
      ch: c.channel === 'window' ? 'window' : 'online', items, tasks: done,
      cor: timeline.some((e) => e?.action === 'case.correction-requested') ? 1 : 0,
      ev: validScore(c.evaluation?.score), evd: staff.length ? staff[staff.length - 1]!.department ?? '' : '',
    };
  }
  const open: Contribution['open'] = [];
  if (!CLOCK_STOPPED.includes(c.status ?? '')) {
    for (const t of staff) if (t.state === 'open' || t.state === 'claimed') open.push([t.department ?? '', isDate(t.dueAt) ? +t.dueAt : null]);
  }
  let dl: DeadlineCase | null = null;
  if (!['draft', ...ENDED].includes(c.status ?? '') && c.deadline && c.deadline.dueAt !== undefined) {
    dl = { matter: c.matter?.title ?? '', status: String(c.status), deadline: JSON.parse(JSON.stringify(c.deadline)), paused: !!c.clock?.pausedAt };
  }
  if (!p && !open.length && !dl) return null;
  return { mk: c.matter?.key ?? '', p, open, dl };
}

// ---- rows ----------------------------------------------------------------------------------

/** The figures of one (city, day, matter) — or, summed, of a matter over a period. */
interface DayRow {
  title: string;
  n: number;
  st: Record<string, number>;
  ch: { online: number; window: number };
  items: Record<string, { t: string; d: string; n: number; st: Record<string, number>; ev: number[] }>;
  /** Key: department NUL elementId; h: bucket → count. */
  steps: Record<string, { e: string; name: string; d: string; c: number; h: Record<string, number> }>;
  cor: number;
  ev: number[];
  evd: Record<string, number[]>;
}
/** The open department tasks of one (city, matter): per department, count and count per due hour ('none': no due date). */
type OpenRow = Record<string, { o: number; h: Record<string, number> }>;
/** The open department tasks of one (city, matter) due in one hour, exactly: department, due (ms). */
type OpenList = [string, number][];

const emptyRow = (): DayRow => ({ title: '', n: 0, st: {}, ch: { online: 0, window: 0 }, items: {}, steps: {}, cor: 0, ev: [0, 0, 0, 0, 0], evd: {} });
function inc(m: Record<string, number>, k: string, s: number) {
  const v = (m[k] ?? 0) + s;
  if (v) m[k] = v; else delete m[k];
}
const zero = (xs: number[]) => xs.every((x) => x === 0);

function applyPeriod(row: DayRow, p: PeriodPart, s: 1 | -1) {
  row.n += s;
  if (s > 0) row.title = p.mt;
  inc(row.st, p.st, s);
  row.ch[p.ch] += s;
  for (const [key, title, department, status, score] of p.items) {
    const it = row.items[key] ??= { t: title, d: department, n: 0, st: {}, ev: [0, 0, 0, 0, 0] };
    if (s > 0) { it.t = title; it.d = department; }
    it.n += s;
    inc(it.st, status, s);
    if (score) it.ev[score - 1]! += s;
    if (it.n === 0) delete row.items[key];
  }
  for (const [e, name, d, ms] of p.tasks) {
    const key = `${d}\u0000${e}`;
    const st = row.steps[key] ??= { e, name, d, c: 0, h: {} };
    if (s > 0) st.name = name;
    st.c += s;
    inc(st.h, String(bucketOf(ms)), s);
    if (st.c === 0) delete row.steps[key];
  }
  row.cor += s * p.cor;
  if (p.ev) {
    row.ev[p.ev - 1]! += s;
    const d = row.evd[p.evd] ??= [0, 0, 0, 0, 0];
    d[p.ev - 1]! += s;
    if (zero(d)) delete row.evd[p.evd];
  }
}

function addRow(dst: DayRow, src: DayRow) {
  dst.n += src.n;
  dst.title = src.title || dst.title;
  for (const [k, v] of Object.entries(src.st)) inc(dst.st, k, v);
  dst.ch.online += src.ch.online; dst.ch.window += src.ch.window;
  for (const [key, it] of Object.entries(src.items)) {
    const d = dst.items[key] ??= { t: it.t, d: it.d, n: 0, st: {}, ev: [0, 0, 0, 0, 0] };
    d.t = it.t; d.d = it.d; d.n += it.n;
    for (const [k, v] of Object.entries(it.st)) inc(d.st, k, v);
    it.ev.forEach((v, i) => { d.ev[i]! += v; });
  }
  for (const [key, st] of Object.entries(src.steps)) {
    const d = dst.steps[key] ??= { e: st.e, name: st.name, d: st.d, c: 0, h: {} };
    d.c += st.c;
    for (const [k, v] of Object.entries(st.h)) inc(d.h, k, v);
  }
  dst.cor += src.cor;
  src.ev.forEach((v, i) => { dst.ev[i]! += v; });
  for (const [k, xs] of Object.entries(src.evd)) {
    const d = dst.evd[k] ??= [0, 0, 0, 0, 0];
    xs.forEach((v, i) => { d[i]! += v; });
  }
}

function applyOpen(row: OpenRow, open: Contribution['open'], s: 1 | -1) {
  for (const [d, due] of open) {
    const r = row[d] ??= { o: 0, h: {} };
    r.o += s;
    inc(r.h, due === null ? 'none' : String(Math.floor(due / HOUR)), s);
    if (r.o === 0) delete row[d];
  }
}

function applyList(list: OpenList, d: string, due: number, s: 1 | -1) {
  if (s > 0) { list.push([d, due]); return; }
  const i = list.findIndex(([x, y]) => x === d && y === due);
  if (i >= 0) list.splice(i, 1);
}

/** Rows: a China day `YYYY-MM-DD` or hour `YYYY-MM-DDTHH` of submission. */
const rowId = (tenant: string, period: string, mk: string) => `${tenant}\u0000${period}\u0000${mk}`;
const openId = (tenant: string, mk: string, hour: number | null) => (hour === null ? `${tenant}\u0000${mk}` : `${tenant}\u0000${mk}\u0000${hour}`);

// ---- the folder ----------------------------------------------------------------------------

class LeaseLost extends Error {}

async function takeLease(models: Models, owner: string, now = new Date()): Promise<boolean> {
  const until = new Date(+now + LEASE_MS);
  try {
    await models.Lease.create({ _id: LEASE, owner, until, doneAt: null });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const res = await models.Lease.updateOne({ _id: LEASE, $or: [{ owner }, { until: trusted({ $lt: now }) }] }, { $set: { owner, until } });
    return res.matchedCount === 1;
  }
}

/** Folds `cases` (one tenant's, projected to CASE_FIELDS) in one transaction; returns how many changed. */
async function foldBatch(models: Models, tenant: string, owner: string, cases: Lean[]): Promise<number> {
  const news = new Map<string, Contribution | null>();
  for (const c of cases) news.set(String(c._id), contributionOf(c));
  const session = await models.Case.db.startSession();
  let changed = 0;
  try {
    await session.withTransaction(async () => {
      changed = 0;
      const now = new Date();
      // still ours unless another process took it: a lease that ran out while this one read a
      // large city's cases (a busy machine, a long pause) but that nobody took is extended
      const held = await models.Lease.updateOne({ _id: LEASE, owner }, { $set: { until: new Date(+now + LEASE_MS) } }, { session });
      if (held.matchedCount !== 1) throw new LeaseLost('stats rollup lease lost');
      const olds = new Map<string, string>();
      await betweenRequests(); // between each of the transaction's round trips too
      for (const o of await models.StatsContribution.find({ _id: trusted({ $in: [...news.keys()] }) }, { json: 1 }).session(session).lean()) olds.set(o._id, o.json);
      const deltas: { id: string; old: Contribution | null; neu: Contribution | null; json: string | null }[] = [];
      for (const [id, neu] of news) {
        const json = neu ? JSON.stringify(neu) : null;
        const oldJson = olds.get(id) ?? null;
        if (json === oldJson) continue;
        deltas.push({ id, old: oldJson ? JSON.parse(oldJson) as Contribution : null, neu, json });
      }
      changed = deltas.length;
      if (!deltas.length) return;
      const rowKeys = new Set<string>();
      const openKeys = new Set<string>();
      for (const { old, neu } of deltas) {
        for (const c of [old, neu]) {
          if (!c) continue;
          if (c.p) { rowKeys.add(rowId(tenant, c.p.day, c.mk)); rowKeys.add(rowId(tenant, chinaHour(c.p.at), c.mk)); }
          if (c.open.length) openKeys.add(openId(tenant, c.mk, null));
          for (const [, due] of c.open) if (due !== null) openKeys.add(openId(tenant, c.mk, Math.floor(due / HOUR)));
        }
      }
      const rows = new Map<string, DayRow>();
      await betweenRequests();
      for (const r of await models.StatsRollup.find({ _id: trusted({ $in: [...rowKeys] }) }).session(session).lean()) rows.set(r._id, JSON.parse(r.json));
      const opens = new Map<string, { matter: string; hour: number | null; v: OpenRow | OpenList }>();
      for (const r of await models.StatsOpen.find({ _id: trusted({ $in: [...openKeys] }) }).session(session).lean()) opens.set(r._id, { matter: r.matter, hour: r.hour ?? null, v: JSON.parse(r.json) });
      const rowOf = (period: string, mk: string) => { const k = rowId(tenant, period, mk); let r = rows.get(k); if (!r) rows.set(k, r = emptyRow()); return r; };
      const openOf = (mk: string, hour: number | null) => {
        const k = openId(tenant, mk, hour);
        let r = opens.get(k);
        if (!r) opens.set(k, r = { matter: mk, hour, v: hour === null ? {} : [] });
        return r.v;
      };
      const fold = (c: Contribution, s: 1 | -1) => {
        if (c.p) { applyPeriod(rowOf(c.p.day, c.mk), c.p, s); applyPeriod(rowOf(chinaHour(c.p.at), c.mk), c.p, s); }
        if (c.open.length) applyOpen(openOf(c.mk, null) as OpenRow, c.open, s);
        for (const [d, due] of c.open) if (due !== null) applyList(openOf(c.mk, Math.floor(due / HOUR)) as OpenList, d, due, s);
      };
      for (const { old, neu } of deltas) {
        if (old) fold(old, -1);
        if (neu) fold(neu, 1);
      }
      const split = (k: string) => k.split('\u0000');
      await betweenRequests();
      await models.StatsRollup.bulkWrite([...rows].map(([k, r]) => {
        const [, period, matter] = split(k);
        return r.n === 0 ? { deleteOne: { filter: { _id: k } } }
          : { replaceOne: { filter: { _id: k }, replacement: { _id: k, tenant, day: period!, matter: matter!, json: JSON.stringify(r) }, upsert: true } };
      }), { session, ordered: true });
      if (opens.size) {
        await betweenRequests();
        await models.StatsOpen.bulkWrite([...opens].map(([k, r]) => (Object.keys(r.v).length === 0 ? { deleteOne: { filter: { _id: k } } }
          : { replaceOne: { filter: { _id: k }, replacement: { _id: k, tenant, matter: r.matter, hour: r.hour, json: JSON.stringify(r.v) }, upsert: true } })), { session, ordered: true });
      }
      const record = (id: string, c: Contribution, json: string) => ({ _id: id, tenant, hour: c.p ? chinaHour(c.p.at) : null, dl: !!c.dl, json });
      // first contributions in one insert (the backfill), the others replaced or deleted
      await betweenRequests();
      const fresh = deltas.filter((x) => !x.old && x.neu);
      if (fresh.length) await models.StatsContribution.insertMany(fresh.map((x) => record(x.id, x.neu!, x.json!)), { session, ordered: true, lean: true });
      const later = deltas.filter((x) => x.old);
      if (later.length) {
        await models.StatsContribution.bulkWrite(later.map(({ id, neu, json }) => (neu
          ? { replaceOne: { filter: { _id: id }, replacement: record(id, neu, json!), upsert: true } }
          : { deleteOne: { filter: { _id: id } } })), { session, ordered: true });
      }
    });
  } finally {
    await session.endSession();
  }
  return changed;
}

/** Lets other work (requests) run between two batches of a fold. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Batch sizes of a fold, kept so that one batch (one transaction, a few round trips) takes about
 * `targetMs`: the event loop is free between batches and between their round trips, so a live
 * server's requests wait behind the folder for a fraction of that. Not below `min`: a batch's
 * fixed costs (transaction, commit, the open-task rows) would then make the fold crawl on a busy
 * machine.
 */
export class Pace {
  size: number;
  constructor(readonly targetMs = 250, readonly min = 200, readonly max = 2000, start = 500) {
    this.size = start;
  }

  /** The last batch of `n` cases took `ms`. */
  took(n: number, ms: number): void {
    if (n < this.size) return;
    if (ms > this.targetMs) this.size = Math.max(this.min, Math.floor(this.size / 2));
    else if (ms < this.targetMs / 2) this.size = Math.min(this.max, Math.ceil(this.size * 1.5));
  }
}

const submitted = (c: Lean) => (isDate(c.submittedAt) ? +c.submittedAt : -Infinity);

/** Folds `cases` ordered by submission, in paced batches with the event loop free between them. */
async function foldPaced(models: Models, tenant: string, owner: string, cases: Lean[], pace: Pace, seen: Map<string, string>, since: number): Promise<number> {
  cases.sort((a, b) => submitted(a) - submitted(b));
  let changed = 0;
  for (let i = 0; i < cases.length;) {
    await betweenRequests();
    const batch = cases.slice(i, i + pace.size);
    const t = performance.now();
    changed += await foldBatch(models, tenant, owner, batch);
    // remembered once committed (only those a later look-back can still see)
    for (const c of batch) if (isDate(c.updatedAt) && +c.updatedAt >= since) seen.set(String(c._id), fingerprint(c));
    pace.took(batch.length, performance.now() - t);
    i += batch.length;
    await yieldToOthers();
  }
  return changed;
}

/** Folds one city's changed cases (its first fold: all its cases, by id). Returns cases whose contribution changed. */
async function foldTenant(models: Models, tenant: string, owner: string, memory: FoldMemory): Promise<number> {
  const started = new Date();
  let state = await models.StatsState.findById(tenant).lean();
  if (!state) {
    await models.StatsState.updateOne({ _id: tenant }, { $setOnInsert: { watermark: null, backfillAt: started, foldedAt: null } }, { upsert: true });
    state = await models.StatsState.findById(tenant).lean();
  }
  // backfill (no watermark yet): every case of the city (refolding is harmless: a backfill cut
  // short starts again); changes meanwhile are caught after it (updatedAt ≥ backfillAt − overlap).
  // Otherwise the cases changed since the watermark (less the overlap). Either way one cursor,
  // unsorted: paging by (updatedAt, _id) re-read every remaining change for each page, quadratic
  // when many cases changed at once (a bulk load, a migration, a folder stopped for long).
  // the last sweep is in the city's state row (the lease may change hands between two folds)
  const sweep = !state!.sweptAt || +started - +state!.sweptAt >= SWEEP_MS;
  const lookBack = sweep ? OVERLAP_MS : TICK_OVERLAP_MS;
  // a tick's batches small (a transaction's round trips each a short chunk), a backfill's as the pace allows
  const pace = state!.watermark ? new Pace(100, 50, 200, 100) : new Pace();
  let seen = memory.get(tenant);
  if (!seen) memory.set(tenant, seen = new Map());
  // what a later look-back can still see: the sweep's window from this fold's start
  const since = +started - OVERLAP_MS;
  let changed = 0;
  if (state!.watermark) {
    const from = +state!.watermark - lookBack;
    for (const [id, fp] of seen) if (Number(fp.slice(0, fp.indexOf(':'))) < Math.min(from, since)) seen.delete(id);
    // the window's fingerprints first; the figures' fields of the changed ones only
    const ids: unknown[] = [];
    let n = 0;
    for await (const c of models.Case.find({ tenant, updatedAt: trusted({ $gte: new Date(from) }) }).select({ _id: 1, updatedAt: 1, rev: 1 }).lean().cursor({ batchSize: FINGERPRINT_BATCH })) {
      if (++n % FINGERPRINT_BATCH === 0) await betweenRequests(); // before the cursor's next round trip
      if (seen.get(String(c._id)) !== fingerprint(c)) ids.push(c._id);
    }
    for (let i = 0; i < ids.length; i += BACKFILL_CHUNK) {
      const chunk: Lean[] = [];
      const part = ids.slice(i, i + BACKFILL_CHUNK);
      for (let j = 0; j < part.length; j += CHANGED_READ) {
        await betweenRequests();
        chunk.push(...await models.Case.find({ _id: trusted({ $in: part.slice(j, j + CHANGED_READ) }) }).select(CASE_FIELDS).lean() as Lean[]);
      }
      changed += await foldPaced(models, tenant, owner, chunk, pace, seen, since);
    }
  } else {
    let chunk: Lean[] = [];
    for await (const c of models.Case.find({ tenant }).select(CASE_FIELDS).lean().cursor({ batchSize: FOLD_BATCH })) {
      chunk.push(c);
      if (chunk.length === BACKFILL_CHUNK) { changed += await foldPaced(models, tenant, owner, chunk, pace, seen, since); chunk = []; }
    }
    if (chunk.length) changed += await foldPaced(models, tenant, owner, chunk, pace, seen, since);
  }
  const watermark = state!.watermark ? started : state!.backfillAt ?? started;
  await models.StatsState.updateOne({ _id: tenant }, { $set: { watermark, foldedAt: new Date(), ...(sweep ? { sweptAt: started } : {}) } });
  return changed;
}

export interface FoldResult { folded: boolean; changed: number }

/** Folds every city's changes now, if this process holds (or takes) the folder's lease. */
export async function foldStats(models: Models, opts: { owner?: string; tenants?: string[]; memory?: FoldMemory } = {}): Promise<FoldResult> {
  const memory = opts.memory ?? new Map();
  const owner = opts.owner ?? `${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  if (!await takeLease(models, owner)) return { folded: false, changed: 0 };
  const tenants = opts.tenants ?? (await models.Tenant.find({}, { _id: 1 }).sort({ _id: 1 }).limit(MAX_CITIES).lean()).map((t) => String(t._id));
  let changed = 0;
  for (const t of tenants) {
    changed += await foldTenant(models, t, owner, memory);
    await yieldToOthers();
  }
  return { folded: true, changed };
}

export interface StatsRollupFolder {
  /** Folds now (as the interval does); resolves with what it did. */
  tick(): Promise<FoldResult>;
  /** Stops; resolves when a fold in progress has finished, and lets the lease go. */
  stop(): Promise<void>;
}

/**
 * Every `intervalMs` (2 s), the process holding the lease folds every city's changes. The first
 * tick comes `phaseMs` after the start (default half the interval): the notification dispatcher
 * ticks every 2 s from the start too, and the two jobs' round trips taking turns with each other
 * keeps either from adding to the other's burst in front of the requests (#24).
 */
export function startStatsRollup(models: Models, opts: { intervalMs?: number; phaseMs?: number; owner?: string } = {}): StatsRollupFolder {
  const owner = opts.owner ?? `${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const memory: FoldMemory = new Map();
  let running: Promise<FoldResult> | null = null;
  const tick = () => {
    running ??= foldStats(models, { owner, memory }).catch((err) => {
      if (!(err instanceof LeaseLost)) logger.warn({ component: 'stats-rollup', err: (err as Error).message }, 'stats rollup fold failed');
      return { folded: false, changed: 0 };
    }).finally(() => { running = null; });
    return running;
  };
  const intervalMs = opts.intervalMs ?? 2000;
  let interval: NodeJS.Timeout | undefined;
  const phase = setTimeout(() => {
    void tick();
    interval = setInterval(() => { void tick(); }, intervalMs);
    interval.unref();
  }, opts.phaseMs ?? intervalMs / 2);
  phase.unref();
  return {
    tick,
    stop: async () => {
      clearTimeout(phase);
      clearInterval(interval);
      await running;
      await models.Lease.updateOne({ _id: LEASE, owner }, { $set: { until: new Date(0) } }).catch(() => {});
    },
  };
}

// ---- the answer ----------------------------------------------------------------------------

interface Period { from: Date; to: Date; matter: string | null }

function percentile(h: Record<string, number>, n: number, p: number): number {
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const b of Object.keys(h).map(Number).sort((a, z) => a - z)) {
    seen += h[String(b)]!;
    if (seen >= rank) return bucketValue(b);
  }
  return 0;
}
const durations = (c: number, h: Record<string, number>): DurationFigures => ({ count: c, medianMs: percentile(h, c, 0.5), p90Ms: percentile(h, c, 0.9) });
function evaluationOf(dist: number[]): EvaluationFigures {
  const count = dist.reduce((a, b) => a + b, 0);
  const sum = dist.reduce((a, n, i) => a + n * (i + 1), 0);
  return { count, average: count ? Math.round((sum / count) * 100) / 100 : null, distribution: [dist[0]!, dist[1]!, dist[2]!, dist[3]!, dist[4]!] };
}
const byText = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Rollup figures, or null while the city's first fold (backfill) has not finished. */
export async function rollupCityStats(models: Models, tenant: string, q: Period, now: Date): Promise<Omit<CaseStats, 'generatedAt'> | null> {
  const session = await models.Case.db.startSession();
  try {
    let answer: Omit<CaseStats, 'generatedAt'> | null = null;
    await session.withTransaction(async () => { answer = await readSnapshot(models, session, tenant, q, now); }, { readConcern: { level: 'snapshot' } });
    return answer;
  } finally {
    await session.endSession();
  }
}

async function readSnapshot(models: Models, session: ClientSession, tenant: string, q: Period, now: Date): Promise<Omit<CaseStats, 'generatedAt'> | null> {
  const state = await models.StatsState.findById(tenant).session(session).lean();
  if (!state?.watermark) return null;
  const watermark = state.watermark;
  const matterOk = (mk: string) => !q.matter || mk === q.matter;
  const inPeriod = (c: Contribution) => !!c.p && matterOk(c.mk) && c.p.at >= +q.from && c.p.at < +q.to;

  // the cases not folded yet: what the folder's next tick reads (changed since the watermark less
  // the tick's look-back), folded here, in memory. A straggler (a write committed later than that
  // after its updatedAt) is the next sweep's, ≤ SWEEP_MS later, as in the folder. Looking back the
  // whole OVERLAP_MS here re-read two minutes of changes: > MAX_PENDING at ~17 case writes/s, and
  // the answer then fell back to the rollups alone.
  const pendingCases = await models.Case.find({ tenant, updatedAt: trusted({ $gte: new Date(+watermark - TICK_OVERLAP_MS) }) })
    .select(CASE_FIELDS).limit(MAX_PENDING + 1).session(session).lean();
  const overlay = pendingCases.length <= MAX_PENDING;
  const pending = new Map<string, { old: Contribution | null; neu: Contribution | null }>();
  if (overlay && pendingCases.length) {
    for (const c of pendingCases) pending.set(String(c._id), { old: null, neu: contributionOf(c) });
    for (const o of await models.StatsContribution.find({ _id: trusted({ $in: [...pending.keys()] }) }, { json: 1 }).session(session).lean()) {
      pending.get(o._id)!.old = JSON.parse(o.json);
    }
  }

  // the period: whole China days and hours from the rows, the partial hours at its ends from the contributions
  const whole: string[] = [];
  const partialHours: string[] = [];
  for (let d = dayStart(chinaDay(+q.from)); d < +q.to; d += DAY) {
    if (d >= +q.from && d + DAY <= +q.to) { whole.push(chinaDay(d)); continue; }
    for (let h = d; h < d + DAY; h += HOUR) {
      if (h >= +q.from && h + HOUR <= +q.to) whole.push(chinaHour(h));
      else if (h + HOUR > +q.from && h < +q.to) partialHours.push(chinaHour(h));
    }
  }
  const acc = new Map<string, DayRow>();
  const accOf = (mk: string) => { let r = acc.get(mk); if (!r) acc.set(mk, r = emptyRow()); return r; };
  if (whole.length) {
    for (const r of await models.StatsRollup.find({ tenant, day: trusted({ $in: whole }), ...(q.matter ? { matter: q.matter } : {}) }, { json: 1, matter: 1 }).session(session).lean()) {
      addRow(accOf(r.matter), JSON.parse(r.json));
    }
  }
  if (partialHours.length) {
    for (const r of await models.StatsContribution.find({ tenant, hour: trusted({ $in: partialHours }) }, { json: 1 }).session(session).lean()) {
      const c = JSON.parse(r.json) as Contribution;
      if (inPeriod(c)) applyPeriod(accOf(c.mk), c.p!, 1);
    }
  }
  // open department tasks now: whole hours from the rows, the hours of now and now + 24 h exactly
  const dept = new Map<string, { open: number; overdue: number; dueSoon: number }>();
  const deptOf = (d: string) => { let r = dept.get(d); if (!r) dept.set(d, r = { open: 0, overdue: 0, dueSoon: 0 }); return r; };
  const h0 = Math.floor(+now / HOUR);
  const h1 = Math.floor((+now + DUE_SOON_MS) / HOUR);
  for (const r of await models.StatsOpen.find({ tenant, hour: null, ...(q.matter ? { matter: q.matter } : {}) }, { json: 1 }).session(session).lean()) {
    for (const [d, x] of Object.entries(JSON.parse(r.json) as OpenRow)) {
      const o = deptOf(d);
      o.open += x.o;
      for (const [k, n] of Object.entries(x.h)) {
        if (k === 'none') continue;
        const h = Number(k);
        if (h < h0) o.overdue += n;
        else if (h > h0 && h < h1) o.dueSoon += n;
      }
    }
  }
  const exactOpen = (c: Contribution, s: 1 | -1) => {
    if (!matterOk(c.mk)) return;
    for (const [d, due] of c.open) {
      const o = deptOf(d);
      o.open += s;
      if (due === null) continue;
      if (due < +now) o.overdue += s;
      else if (due < +now + DUE_SOON_MS) o.dueSoon += s;
    }
  };
  for (const r of await models.StatsOpen.find({ tenant, hour: trusted({ $in: [h0, h1] }), ...(q.matter ? { matter: q.matter } : {}) }, { json: 1 }).session(session).lean()) {
    for (const [d, due] of JSON.parse(r.json) as OpenList) {
      const o = deptOf(d);
      if (due < +now) o.overdue += 1;
      else if (due < +now + DUE_SOON_MS) o.dueSoon += 1;
    }
  }
  // 承诺时限 of the open cases
  const withDeadline: DeadlineCase[] = [];
  for (const r of await models.StatsContribution.find({ tenant, dl: true }, { _id: 1, json: 1 }).session(session).lean()) {
    if (pending.has(r._id)) continue;
    const c = JSON.parse(r.json) as Contribution;
    if (c.dl && matterOk(c.mk)) withDeadline.push(c.dl);
  }
  for (const { old, neu } of pending.values()) {
    if (old && inPeriod(old)) applyPeriod(accOf(old.mk), old.p!, -1);
    if (neu && inPeriod(neu)) applyPeriod(accOf(neu.mk), neu.p!, 1);
    if (old) exactOpen(old, -1);
    if (neu) exactOpen(neu, 1);
    if (neu?.dl && matterOk(neu.mk)) withDeadline.push(neu.dl);
  }
  return figures(tenant, q, acc, dept, deadlineCounts(withDeadline, now), overlay ? now : watermark);
}

function figures(tenant: string, q: Period, acc: Map<string, DayRow>, dept: Map<string, { open: number; overdue: number; dueSoon: number }>, caseDeadlines: CaseStats['caseDeadlines'], asOf: Date): Omit<CaseStats, 'generatedAt'> {
  const total = emptyRow();
  const byMatter: CaseStats['byMatter'] = [];
  const evMatter: CaseStats['evaluations']['byMatter'] = [];
  for (const [key, r] of acc) {
    if (r.n <= 0) continue;
    addRow(total, r);
    byMatter.push({ key, title: r.title || key, received: r.n, byStatus: { ...r.st } });
    if (!zero(r.ev)) evMatter.push({ key, title: r.title || key, ...evaluationOf(r.ev) });
  }
  const received = total.n;
  const steps: CaseStats['steps'] = [];
  const depts = new Map<string, { c: number; h: Record<string, number> }>();
  for (const s of Object.values(total.steps)) {
    if (s.c <= 0) continue;
    steps.push({ elementId: s.e, name: s.name, department: s.d, ...durations(s.c, s.h) });
    const d = depts.get(s.d) ?? { c: 0, h: {} };
    d.c += s.c;
    for (const [k, v] of Object.entries(s.h)) inc(d.h, k, v);
    depts.set(s.d, d);
  }
  const byDepartment = [...dept].filter(([, o]) => o.open > 0).map(([department, o]) => ({ department, ...o })).sort(byText((x) => x.department));
  const byStatus: StatusCounts = { ...total.st };
  return {
    tenant,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    matter: q.matter,
    asOf: asOf.toISOString(),
    received,
    byStatus,
    byChannel: { ...total.ch },
    byMatter: byMatter.sort(byText((m) => m.key)),
    items: Object.entries(total.items).filter(([, it]) => it.n > 0)
      .map(([key, it]) => ({ key, title: it.t, department: it.d, total: it.n, byStatus: { ...it.st } })).sort(byText((m) => m.key)),
    steps: steps.sort(byText((s) => `${s.department}\u0000${s.elementId}`)),
    departments: [...depts].map(([department, d]) => ({ department, ...durations(d.c, d.h) })).sort(byText((s) => s.department)),
    corrections: { cases: total.cor, rate: received ? Math.round((total.cor / received) * 10_000) / 10_000 : null },
    deadlines: {
      open: byDepartment.reduce((a, d) => a + d.open, 0), overdue: byDepartment.reduce((a, d) => a + d.overdue, 0),
      dueSoon: byDepartment.reduce((a, d) => a + d.dueSoon, 0), byDepartment,
    },
    caseDeadlines,
    evaluations: {
      overall: evaluationOf(total.ev),
      byMatter: evMatter.sort(byText((m) => m.key)),
      byItem: Object.entries(total.items).filter(([, it]) => !zero(it.ev)).map(([key, it]) => ({ key, title: it.t, ...evaluationOf(it.ev) })).sort(byText((m) => m.key)),
      byDepartment: Object.entries(total.evd).filter(([, xs]) => !zero(xs)).map(([department, xs]) => ({ department, ...evaluationOf(xs) })).sort(byText((m) => m.department)),
    },
  };
}
