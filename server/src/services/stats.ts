/**
 * Statistics of a city (`GET /admin/stats`) and of every city (`GET /platform/stats`), computed
 * by the database with two aggregation pipelines over the cases collection — nothing is loaded
 * into this process but the grouped figures:
 * 1. the cases submitted in the period (an indexed leading `$match` on tenant + submittedAt),
 *    projected to the fields the figures need, then one `$facet` — by status, matter, channel,
 *    linked item; step and department durations (`$percentile`); 补正; 好差评;
 * 2. the open department tasks now (超期, 即将超期), on the tasklist's multikey index.
 * That scan answers only until a city's rollups exist (services/stats-rollup.ts: maintained off
 * the request path, read in milliseconds). Definitions and limits: docs/stats.md.
 */
import type { CaseStats, DurationFigures, EvaluationFigures, PlatformStats, StatusCounts } from '@lianban/runtime/contract';
import { trusted, type PipelineStage } from 'mongoose';
import { deadlineCounts } from '@lianban/runtime';
import { ApiError } from '../http/errors';
import type { Models } from '../models';
import { rollupCityStats } from './stats-rollup';

const DAY = 86_400_000;
/** The longest period one request may cover. */
export const MAX_PERIOD_DAYS = 1096;
/** Without `from`, the period is the last 30 days. */
export const DEFAULT_PERIOD_DAYS = 30;
/** 即将超期: due within this many hours. */
export const DUE_SOON_HOURS = 24;
/** Percentiles of the durations: median and p90. */
const PERCENTILES = [0.5, 0.9];

export interface StatsQuery {
  from: Date;
  to: Date;
  matter: string | null;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const STAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const MATTER_RE = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** A day (China time) or an ISO timestamp; `end`: a day means its end (the next day's start). */
function parseMoment(name: string, raw: string, end: boolean): Date {
  let at: Date | null = null;
  if (DAY_RE.test(raw)) {
    const d = new Date(`${raw}T00:00:00+08:00`);
    if (!Number.isNaN(+d) && d.toISOString().length) at = end ? new Date(+d + DAY) : d;
    // 2026-02-30 is not a day
    if (at && new Date(+new Date(`${raw}T00:00:00+08:00`) + 8 * 3_600_000).toISOString().slice(0, 10) !== raw) at = null;
  } else if (STAMP_RE.test(raw)) {
    const d = new Date(raw);
    if (!Number.isNaN(+d)) at = d;
  }
  if (!at) throw new ApiError(400, 'bad-query', `${name} 须为日期（如 2026-01-31）或带时区的时间（ISO 8601）`, { errors: [{ path: name, message: '格式不对' }] });
  return at;
}

/** The period and matter of a stats request (`from`/`to` inclusive days, China time), or 400. */
export function statsQuery(q: Record<string, unknown>, now = new Date()): StatsQuery {
  const one = (name: string): string | undefined => {
    const v = q[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw new ApiError(400, 'bad-query', `${name} 只能给一次`, { errors: [{ path: name, message: '重复' }] });
    return v;
  };
  const toRaw = one('to');
  const fromRaw = one('from');
  const matterRaw = one('matter');
  const to = toRaw ? parseMoment('to', toRaw, true) : now;
  const from = fromRaw ? parseMoment('from', fromRaw, false) : new Date(+to - DEFAULT_PERIOD_DAYS * DAY);
  if (+from >= +to) throw new ApiError(400, 'bad-query', '开始日期须早于结束日期', { errors: [{ path: 'from', message: '晚于结束日期' }] });
  if (+to - +from > MAX_PERIOD_DAYS * DAY) throw new ApiError(400, 'bad-query', `统计区间最长 ${MAX_PERIOD_DAYS} 天`, { errors: [{ path: 'from', message: '区间过长' }] });
  if (matterRaw !== undefined && !MATTER_RE.test(matterRaw)) throw new ApiError(400, 'bad-query', '事项编码格式不对', { errors: [{ path: 'matter', message: '格式不对' }] });
  return { from, to, matter: matterRaw ?? null };
}

const durationSpec = (key: Record<string, unknown>) => ({
  $group: {
    _id: key,
    name: { $first: '$t.name' },
    count: { $sum: 1 },
    p: { $percentile: { input: '$t.ms', p: PERCENTILES, method: 'approximate' } },
  },
});

/** The pipeline over the cases submitted in the period (exported for the bench and docs). */
export function periodPipeline(tenant: string, q: StatsQuery): PipelineStage[] {
  const match: Record<string, unknown> = { tenant, submittedAt: { $gte: q.from, $lt: q.to }, status: { $ne: 'draft' } };
  if (q.matter) match['matter.key'] = q.matter;
  const finishedTasks = [
    { $unwind: '$tasks' },
    { $match: { 'tasks.state': 'done', 'tasks.createdAt': { $type: 'date' }, 'tasks.completedAt': { $type: 'date' } } },
    { $project: { t: { elementId: '$tasks.elementId', name: '$tasks.name', department: '$tasks.department', ms: { $subtract: ['$tasks.completedAt', '$tasks.createdAt'] } } } },
  ];
  const evaluated = { $match: { 'evaluation.score': { $gte: 1, $lte: 5 } } };
  return [
    { $match: match },
    { $project: {
      _id: 0, status: 1, matter: 1, channel: 1, items: 1, evaluation: 1,
      tasks: { $filter: { input: '$tasks', as: 't', cond: { $ne: ['$$t.department', 'applicant'] } } },
      corrected: { $in: ['case.correction-requested', { $ifNull: ['$timeline.action', []] }] },
    } },
    { $facet: {
      status: [{ $group: { _id: '$status', n: { $sum: 1 } } }],
      matter: [{ $group: { _id: { key: '$matter.key', status: '$status' }, title: { $last: '$matter.title' }, n: { $sum: 1 } } }],
      channel: [{ $group: { _id: { $ifNull: ['$channel', 'online'] }, n: { $sum: 1 } } }],
      items: [
        { $unwind: '$items' },
        { $group: { _id: { key: '$items.key', status: '$items.status' }, title: { $last: '$items.title' }, department: { $last: '$items.department' }, n: { $sum: 1 } } },
      ],
      itemEvaluations: [
        { $unwind: '$items' },
        { $match: { 'items.evaluation.score': { $gte: 1, $lte: 5 } } },
        { $group: { _id: { key: '$items.key', score: '$items.evaluation.score' }, title: { $last: '$items.title' }, n: { $sum: 1 } } },
      ],
      // two facets rather than one nested $facet: MongoDB allows no $facet inside a $facet
      steps: [...finishedTasks, durationSpec({ elementId: '$t.elementId', department: '$t.department' })],
      departments: [...finishedTasks, durationSpec({ department: '$t.department' })],
      corrections: [{ $match: { corrected: true } }, { $count: 'n' }],
      evaluations: [
        evaluated,
        { $project: { score: '$evaluation.score', key: '$matter.key', title: '$matter.title', department: { $ifNull: [{ $arrayElemAt: ['$tasks.department', -1] }, ''] } } },
        { $group: { _id: { key: '$key', department: '$department', score: '$score' }, title: { $last: '$title' }, n: { $sum: 1 } } },
      ],
    } },
  ] as PipelineStage[];
}

/** The pipeline over the open department tasks now. */
export function openTasksPipeline(tenant: string, matter: string | null, now: Date): PipelineStage[] {
  const soon = new Date(+now + DUE_SOON_HOURS * 3_600_000);
  const match: Record<string, unknown> = { tenant, 'tasks.state': { $in: ['open', 'claimed'] }, status: { $nin: ['draft', 'suspended', 'needs-correction'] } };
  if (matter) match['matter.key'] = matter;
  return [
    { $match: match },
    { $project: { _id: 0, tasks: { $filter: { input: '$tasks', as: 't', cond: { $and: [{ $in: ['$$t.state', ['open', 'claimed']] }, { $ne: ['$$t.department', 'applicant'] }] } } } } },
    { $unwind: '$tasks' },
    { $group: {
      _id: '$tasks.department',
      open: { $sum: 1 },
      overdue: { $sum: { $cond: [{ $and: [{ $eq: [{ $type: '$tasks.dueAt' }, 'date'] }, { $lt: ['$tasks.dueAt', now] }] }, 1, 0] } },
      dueSoon: { $sum: { $cond: [{ $and: [{ $eq: [{ $type: '$tasks.dueAt' }, 'date'] }, { $gte: ['$tasks.dueAt', now] }, { $lt: ['$tasks.dueAt', soon] }] }, 1, 0] } },
    } },
  ] as PipelineStage[];
}

type Row<K> = { _id: K; n: number; title?: string; department?: string };
interface DurationRow { _id: Record<string, string>; name: string; count: number; p: (number | null)[] }
interface Faceted {
  status: Row<string>[];
  matter: Row<{ key: string; status: string }>[];
  channel: Row<string>[];
  items: Row<{ key: string; status: string }>[];
  itemEvaluations: Row<{ key: string; score: number }>[];
  steps: DurationRow[];
  departments: DurationRow[];
  corrections: { n: number }[];
  evaluations: Row<{ key: string; department: string; score: number }>[];
}

const byText = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

function emptyEvaluation(): EvaluationFigures {
  return { count: 0, average: null, distribution: [0, 0, 0, 0, 0] };
}
function addScore(e: EvaluationFigures, score: number, n: number) {
  if (!Number.isInteger(score) || score < 1 || score > 5) return;
  e.distribution[score - 1] += n;
  e.count += n;
}
/** Average rounded to 2 decimals, from the distribution. */
function finishEvaluation<T extends EvaluationFigures>(e: T): T {
  const sum = e.distribution.reduce((acc, n, i) => acc + n * (i + 1), 0);
  e.average = e.count ? Math.round((sum / e.count) * 100) / 100 : null;
  return e;
}
const duration = (r: DurationRow): DurationFigures => ({ count: r.count, medianMs: r.p[0] ?? 0, p90Ms: r.p[1] ?? 0 });

/** At most this many open cases with a deadline are counted (a bound on one request's work). */
const MAX_DEADLINE_CASES = 200_000;

/**
 * One city's figures for the period: from the rollups (services/stats-rollup.ts), or — until the
 * city's first fold has finished — by scanning its cases (`cityStatsByScan`).
 */
export async function cityStats(models: Models, tenant: string, q: StatsQuery, now = new Date()): Promise<CaseStats> {
  const rolled = await rollupCityStats(models, tenant, q, now);
  if (!rolled) return cityStatsByScan(models, tenant, q, now);
  const { tenant: t, from, to, matter, ...rest } = rolled;
  return { tenant: t, from, to, matter, generatedAt: now.toISOString(), ...rest };
}

/** One city's figures for the period, by the aggregation pipelines over its cases (slow: seconds at 10k cases). */
export async function cityStatsByScan(models: Models, tenant: string, q: StatsQuery, now = new Date()): Promise<CaseStats> {
  const [[f], open, withDeadline] = await Promise.all([
    models.Case.aggregate<Faceted>(periodPipeline(tenant, q)),
    models.Case.aggregate<Row<string> & { open: number; overdue: number; dueSoon: number }>(openTasksPipeline(tenant, q.matter, now)),
    // 承诺时限: the open cases with a deadline, counted per matter with the dashboard's own rule (runtime deadlineCounts)
    models.Case.find({
      tenant, status: trusted({ $nin: ['draft', 'completed', 'rejected', 'withdrawn', 'cancelled'] }), 'deadline.dueAt': trusted({ $exists: true }),
      ...(q.matter ? { 'matter.key': q.matter } : {}),
    }).select({ 'matter.title': 1, status: 1, deadline: 1, clock: 1 }).limit(MAX_DEADLINE_CASES).lean(),
  ]);
  const facet = f!;
  const byStatus: StatusCounts = {};
  let received = 0;
  for (const r of facet.status) { byStatus[r._id] = r.n; received += r.n; }

  const matters = new Map<string, CaseStats['byMatter'][number]>();
  for (const r of facet.matter) {
    const m = matters.get(r._id.key) ?? { key: r._id.key, title: r.title ?? r._id.key, received: 0, byStatus: {} };
    m.byStatus[r._id.status] = r.n;
    m.received += r.n;
    matters.set(r._id.key, m);
  }
  const items = new Map<string, CaseStats['items'][number]>();
  for (const r of facet.items) {
    if (!r._id.key) continue;
    const it = items.get(r._id.key) ?? { key: r._id.key, title: r.title ?? r._id.key, department: r.department ?? '', total: 0, byStatus: {} };
    it.byStatus[r._id.status ?? 'unknown'] = r.n;
    it.total += r.n;
    items.set(r._id.key, it);
  }
  const byChannel = { online: 0, window: 0 };
  for (const r of facet.channel) byChannel[r._id === 'window' ? 'window' : 'online'] += r.n;

  const steps = facet.steps.map((r) => ({ elementId: r._id.elementId ?? '', name: r.name ?? '', department: r._id.department ?? '', ...duration(r) }))
    .sort(byText((s) => `${s.department}\u0000${s.elementId}`));
  const departments = facet.departments.map((r) => ({ department: r._id.department ?? '', ...duration(r) })).sort(byText((s) => s.department));

  const corrected = facet.corrections[0]?.n ?? 0;

  const overall = emptyEvaluation();
  const evMatter = new Map<string, { key: string; title: string } & EvaluationFigures>();
  const evDept = new Map<string, { department: string } & EvaluationFigures>();
  for (const r of facet.evaluations) {
    addScore(overall, r._id.score, r.n);
    const m = evMatter.get(r._id.key) ?? { key: r._id.key, title: r.title ?? r._id.key, ...emptyEvaluation() };
    addScore(m, r._id.score, r.n);
    evMatter.set(r._id.key, m);
    const dp = evDept.get(r._id.department) ?? { department: r._id.department, ...emptyEvaluation() };
    addScore(dp, r._id.score, r.n);
    evDept.set(r._id.department, dp);
  }
  const evItem = new Map<string, { key: string; title: string } & EvaluationFigures>();
  for (const r of facet.itemEvaluations) {
    const it = evItem.get(r._id.key) ?? { key: r._id.key, title: r.title ?? r._id.key, ...emptyEvaluation() };
    addScore(it, r._id.score, r.n);
    evItem.set(r._id.key, it);
  }

  const deadlines = { open: 0, overdue: 0, dueSoon: 0, byDepartment: [] as CaseStats['deadlines']['byDepartment'] };
  for (const r of open) {
    deadlines.open += r.open; deadlines.overdue += r.overdue; deadlines.dueSoon += r.dueSoon;
    deadlines.byDepartment.push({ department: r._id ?? '', open: r.open, overdue: r.overdue, dueSoon: r.dueSoon });
  }
  deadlines.byDepartment.sort(byText((x) => x.department));

  return {
    tenant,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    matter: q.matter,
    generatedAt: now.toISOString(),
    asOf: now.toISOString(),
    received,
    byStatus,
    byChannel,
    byMatter: [...matters.values()].sort(byText((m) => m.key)),
    items: [...items.values()].sort(byText((m) => m.key)),
    steps,
    departments,
    corrections: { cases: corrected, rate: received ? Math.round((corrected / received) * 10_000) / 10_000 : null },
    deadlines,
    caseDeadlines: deadlineCounts(withDeadline.map((c) => ({ matter: c.matter.title, status: c.status, deadline: c.deadline, paused: !!c.clock?.pausedAt })), now),
    evaluations: {
      overall: finishEvaluation(overall),
      byMatter: [...evMatter.values()].map(finishEvaluation).sort(byText((m) => m.key)),
      byItem: [...evItem.values()].map(finishEvaluation).sort(byText((m) => m.key)),
      byDepartment: [...evDept.values()].map(finishEvaluation).sort(byText((m) => m.department)),
    },
  };
}

/** Every city's figures for the period (the province's operators). */
export async function platformStats(models: Models, q: StatsQuery, now = new Date()): Promise<PlatformStats> {
  const tenants = await models.Tenant.find({}, { _id: 1, name: 1 }).sort({ _id: 1 }).limit(1000).lean();
  const cities = [];
  // one city at a time: the database is not asked for every city's aggregation at once
  for (const t of tenants) cities.push({ name: t.name, ...await cityStats(models, String(t._id), q, now) });
  return { from: q.from.toISOString(), to: q.to.toISOString(), generatedAt: now.toISOString(), cities };
}
