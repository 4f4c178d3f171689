/**
 * Realistic case documents for the statistics (test/server/stats.test.ts, bench/stats.bench.ts),
 * made by a seeded generator and inserted directly (the fast path: no engine, no HTTP), and the
 * same figures computed independently in plain TypeScript over the generated documents — loops
 * over the objects, no database — to compare the route's answer with. Fictitious people with
 * valid fictitious ID numbers (rules/resident-id).
 */
import { ObjectId } from 'bson';
import { makeResidentId } from '@lianban/runtime';
import type { CaseStats, EvaluationFigures } from '@lianban/runtime/contract';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: the same documents on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MATTERS = [
  { key: 'retirement', title: '企业职工退休“一件事”' },
  { key: 'retirement-flex', title: '灵活就业人员退休“一件事”' },
];
const STEPS = [
  { elementId: 'accept', name: '受理', department: 'window' },
  { elementId: 'approve', name: '退休审批', department: 'hrss', item: 'retirement-approval' },
  { elementId: 'medical', name: '医保关系核定', department: 'medical', item: 'medical-insurance' },
  { elementId: 'fund', name: '公积金提取', department: 'housing-fund', item: 'housing-fund' },
];
const ITEMS = [
  { key: 'retirement-approval', title: '退休审批', department: 'hrss' },
  { key: 'medical-insurance', title: '医保待遇核定', department: 'medical' },
  { key: 'housing-fund', title: '住房公积金提取', department: 'housing-fund' },
];
const STATUSES = ['completed', 'completed', 'completed', 'in-progress', 'in-progress', 'needs-correction', 'needs-applicant', 'rejected', 'withdrawn', 'suspended', 'submitted'];
const ITEM_STATUSES = ['requested', 'in-progress', 'done', 'done', 'not-applicable'];
const SURNAMES = ['张', '王', '李', '赵', '陈', '刘', '杨', '黄'];
const GIVEN = ['建国', '秀英', '桂兰', '志强', '玉梅', '德明', '凤英', '国华'];
const REASONS = ['办理快', '态度好', '材料少', '流程不清楚', '等待久'];

function evaluation(r: () => number, at: Date) {
  const score = 1 + Math.floor(r() * 5);
  return { score, reasons: [REASONS[Math.floor(r() * REASONS.length)]!], ...(r() < 0.3 ? { comment: '满意' } : {}), channel: (['portal', 'sms', 'window'] as const)[Math.floor(r() * 3)]!, at };
}

export interface GenOptions {
  tenants: string[];
  /** Cases per tenant. */
  perTenant: number;
  /** The moment the figures are taken: submissions fall in the 60 days before, due dates around it. */
  now: Date;
  seed?: number;
}

/** Case documents as the cases collection stores them. */
export function generateCases(o: GenOptions): Record<string, unknown>[] {
  return [...streamCases(o)];
}

/**
 * The same documents one at a time (the bench inserts 100k of them without holding them all: at
 * 100k, the generated documents beside the database's own copies pushed the heap towards its limit).
 */
export function* streamCases(o: GenOptions): Generator<Record<string, unknown>> {
  const r = rng(o.seed ?? 22);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  for (const tenant of o.tenants) {
    for (let i = 0; i < o.perTenant; i++) {
      const matter = pick(MATTERS);
      const draft = r() < 0.03;
      const status = draft ? 'draft' : pick(STATUSES);
      const submittedAt = new Date(+o.now - Math.floor(r() * 60 * DAY) - HOUR);
      const createdAt = new Date(+submittedAt - Math.floor(r() * 2 * DAY));
      const idNumber = makeResidentId('341502', `19${60 + Math.floor(r() * 8)}0${1 + Math.floor(r() * 9)}1${Math.floor(r() * 9)}`, 1 + Math.floor(r() * 998));
      const name = pick(SURNAMES) + pick(GIVEN);
      const timeline: Record<string, unknown>[] = [{ at: createdAt, actor: name, action: 'case.created' }];
      const tasks: Record<string, unknown>[] = [];
      const ended = ['completed', 'rejected', 'withdrawn'].includes(status);
      if (!draft) {
        timeline.push({ at: submittedAt, actor: name, action: 'case.submitted' });
        const n = ended ? STEPS.length : 1 + Math.floor(r() * STEPS.length);
        let at = +submittedAt + Math.floor(r() * HOUR);
        for (let s = 0; s < n; s++) {
          const step = STEPS[s]!;
          const last = s === n - 1;
          const open = last && !ended;
          // durations from seconds to weeks: numbers of every length (percentiles must sort as numbers)
          const ms = Math.floor(Math.exp(r() * Math.log(14 * DAY)));
          const task: Record<string, unknown> = {
            id: new ObjectId().toHexString(), waitId: `w${s}`, elementId: step.elementId, kind: 'userTask', name: step.name,
            department: step.department, ...(step.item ? { linkedItem: step.item } : {}), outcomes: ['approve', 'reject'],
            state: open ? (r() < 0.5 ? 'open' : 'claimed') : r() < 0.05 ? 'cancelled' : 'done', createdAt: new Date(at),
          };
          if (open || r() < 0.5) {
            // whole hours plus a half around now: never within 30 minutes of "now" or "now + 24 h"
            task.dueAt = new Date(+o.now + (Math.floor(r() * 144) - 72 + 0.5) * HOUR);
          }
          if (task.state === 'done') {
            task.completedAt = new Date(at + ms);
            task.completedBy = `${tenant}.${step.department}`;
            task.outcome = 'approve';
          }
          timeline.push({ at: new Date(at), actor: 'system', action: 'task.opened', elementId: step.elementId, detail: step.name });
          if (task.state === 'done') timeline.push({ at: task.completedAt, actor: task.completedBy, action: 'task.completed', elementId: step.elementId });
          tasks.push(task);
          if (s === 0 && r() < 0.15) {
            timeline.push({ at: new Date(at + ms), actor: `${tenant}.window`, action: 'case.correction-requested', elementId: 'accept', detail: '受理 · 材料不全 · 需补正：身份证' });
            if (r() < 0.5) {
              tasks.push({ id: new ObjectId().toHexString(), waitId: 'wa', elementId: 'supplement', kind: 'userTask', name: '补正材料', department: 'applicant', outcomes: [], state: 'done', createdAt: new Date(at + ms), completedAt: new Date(at + ms + HOUR), dueAt: new Date(+o.now - 30 * HOUR) });
            }
          }
          at += ms + Math.floor(r() * HOUR);
        }
        if (status === 'needs-applicant') {
          tasks.push({ id: new ObjectId().toHexString(), waitId: 'wb', elementId: 'sign', kind: 'userTask', name: '签字确认', department: 'applicant', outcomes: [], state: 'open', createdAt: new Date(at), dueAt: new Date(+o.now - 5.5 * HOUR) });
        }
      }
      const items = draft ? [] : ITEMS.filter(() => r() < 0.85).map((it) => ({
        ...it, status: pick(ITEM_STATUSES), ...(r() < 0.3 ? { evaluation: evaluation(r, new Date(+submittedAt + DAY)) } : {}),
      }));
      yield {
        _id: new ObjectId(),
        tenant,
        no: draft ? null : `${tenant === 'luan' ? 'LA' : 'CZ'}${String(i).padStart(10, '0')}`,
        matter: { key: matter.key, version: 1, title: matter.title },
        form: `${matter.key}-form`,
        applicant: `fict-${tenant}-${i}`,
        applicantName: name,
        status,
        data: { name, idNumber, phone: `1390000${String(i % 10_000).padStart(4, '0')}` },
        items,
        flow: { hash: 'generated', state: null },
        tasks,
        timeline,
        taskForms: {},
        promised: [],
        correction: null,
        clock: null,
        rev: tasks.length,
        createdAt,
        // as mongoose sets it on every write: a few days after creation, at the latest 5 minutes ago
        updatedAt: new Date(Math.min(+o.now - 5 * 60_000, +createdAt + 3 * DAY)),
        ...(draft ? {} : { submittedAt }),
        ...(ended ? { endedAt: new Date(+submittedAt + 10 * DAY) } : {}),
        ...(r() < 0.25 ? { channel: 'window' } : r() < 0.5 ? { channel: 'online' } : {}),
        ...(!draft && r() < 0.4 ? { evaluation: evaluation(r, new Date(+submittedAt + 2 * DAY)) } : {}),
      };
    }
  }
}

// ---- the same figures, computed independently ------------------------------------------------

type Doc = Record<string, any>;

function rank(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
}
function evaluationOf(scores: number[]): EvaluationFigures {
  const distribution: EvaluationFigures['distribution'] = [0, 0, 0, 0, 0];
  for (const s of scores) distribution[s - 1]! += 1;
  const sum = scores.reduce((a, b) => a + b, 0);
  return { count: scores.length, average: scores.length ? Math.round((sum / scores.length) * 100) / 100 : null, distribution };
}
const sortBy = <T>(xs: T[], key: (x: T) => string) => xs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
function countInto(m: Record<string, number>, k: string) { m[k] = (m[k] ?? 0) + 1; }

/** What `GET /admin/stats` should answer for `tenant` (without `generatedAt`). */
export function expectedStats(all: Doc[], tenant: string, from: Date, to: Date, matter: string | null, now: Date): Omit<CaseStats, 'generatedAt'> {
  const inCity = all.filter((c) => c.tenant === tenant && (!matter || c.matter.key === matter));
  const cases = inCity.filter((c) => c.status !== 'draft' && c.submittedAt && +c.submittedAt >= +from && +c.submittedAt < +to);
  const byStatus: Record<string, number> = {};
  const byChannel = { online: 0, window: 0 };
  const matters = new Map<string, CaseStats['byMatter'][number]>();
  const items = new Map<string, CaseStats['items'][number]>();
  const steps = new Map<string, { elementId: string; name: string; department: string; ms: number[] }>();
  const depts = new Map<string, number[]>();
  const evMatter = new Map<string, { title: string; scores: number[] }>();
  const evItem = new Map<string, { title: string; scores: number[] }>();
  const evDept = new Map<string, number[]>();
  const all5: number[] = [];
  let corrected = 0;
  for (const c of cases) {
    countInto(byStatus, c.status);
    byChannel[c.channel === 'window' ? 'window' : 'online']++;
    const m = matters.get(c.matter.key) ?? { key: c.matter.key, title: c.matter.title, received: 0, byStatus: {} };
    m.received++; countInto(m.byStatus, c.status); matters.set(c.matter.key, m);
    for (const it of c.items) {
      const x = items.get(it.key) ?? { key: it.key, title: it.title, department: it.department, total: 0, byStatus: {} };
      x.total++; countInto(x.byStatus, it.status); items.set(it.key, x);
      if (it.evaluation) {
        const e = evItem.get(it.key) ?? { title: it.title, scores: [] as number[] };
        e.scores.push(it.evaluation.score); evItem.set(it.key, e);
      }
    }
    const staffTasks = c.tasks.filter((t: Doc) => t.department !== 'applicant');
    for (const t of staffTasks) {
      if (t.state !== 'done' || !t.createdAt || !t.completedAt) continue;
      const ms = +t.completedAt - +t.createdAt;
      const key = `${t.department}\u0000${t.elementId}`;
      const s = steps.get(key) ?? { elementId: t.elementId, name: t.name, department: t.department, ms: [] as number[] };
      s.ms.push(ms); steps.set(key, s);
      // pushed, not copied: a copy per task was quadratic (minutes at 100k, the bench's baseline)
      const d = depts.get(t.department) ?? [];
      d.push(ms); depts.set(t.department, d);
    }
    if (c.timeline.some((e: Doc) => e.action === 'case.correction-requested')) corrected++;
    if (c.evaluation) {
      const score = c.evaluation.score;
      all5.push(score);
      const e = evMatter.get(c.matter.key) ?? { title: c.matter.title, scores: [] as number[] };
      e.scores.push(score); evMatter.set(c.matter.key, e);
      const lastDept = staffTasks.length ? staffTasks[staffTasks.length - 1].department : '';
      const e2 = evDept.get(lastDept) ?? [];
      e2.push(score); evDept.set(lastDept, e2);
    }
  }
  const open = new Map<string, { open: number; overdue: number; dueSoon: number }>();
  for (const c of inCity) {
    if (['draft', 'suspended', 'needs-correction'].includes(c.status)) continue;
    for (const t of c.tasks) {
      if (t.department === 'applicant' || (t.state !== 'open' && t.state !== 'claimed')) continue;
      const o = open.get(t.department) ?? { open: 0, overdue: 0, dueSoon: 0 };
      o.open++;
      if (t.dueAt && +t.dueAt < +now) o.overdue++;
      if (t.dueAt && +t.dueAt >= +now && +t.dueAt < +now + DAY) o.dueSoon++;
      open.set(t.department, o);
    }
  }
  const byDepartment = sortBy([...open].map(([department, o]) => ({ department, ...o })), (x) => x.department);
  const received = cases.length;
  return {
    tenant, from: from.toISOString(), to: to.toISOString(), matter,
    received, byStatus, byChannel,
    byMatter: sortBy([...matters.values()], (m) => m.key),
    items: sortBy([...items.values()], (m) => m.key),
    steps: sortBy([...steps.values()].map(({ ms, ...s }) => ({ ...s, count: ms.length, medianMs: rank(ms, 0.5), p90Ms: rank(ms, 0.9) })), (s) => `${s.department}\u0000${s.elementId}`),
    departments: sortBy([...depts].map(([department, ms]) => ({ department, count: ms.length, medianMs: rank(ms, 0.5), p90Ms: rank(ms, 0.9) })), (s) => s.department),
    corrections: { cases: corrected, rate: received ? Math.round((corrected / received) * 10_000) / 10_000 : null },
    // the generated cases carry no 承诺时限 (the deadlines tests cover caseDeadlines end to end)
    caseDeadlines: [],
    deadlines: {
      open: byDepartment.reduce((a, d) => a + d.open, 0), overdue: byDepartment.reduce((a, d) => a + d.overdue, 0),
      dueSoon: byDepartment.reduce((a, d) => a + d.dueSoon, 0), byDepartment,
    },
    evaluations: {
      overall: evaluationOf(all5),
      byMatter: sortBy([...evMatter].map(([key, e]) => ({ key, title: e.title, ...evaluationOf(e.scores) })), (x) => x.key),
      byItem: sortBy([...evItem].map(([key, e]) => ({ key, title: e.title, ...evaluationOf(e.scores) })), (x) => x.key),
      byDepartment: sortBy([...evDept].map(([department, s]) => ({ department, ...evaluationOf(s) })), (x) => x.department),
    },
  };
}

/**
 * Inserts `docs` into the cases collection in batches of 2000 (no mongoose casting, no engine);
 * from an iterable (`streamCases`), only one batch is held at a time.
 */
export async function insertCases(collection: { insertMany(docs: Record<string, unknown>[], o: { ordered: boolean }): Promise<unknown> }, docs: Iterable<Record<string, unknown>>): Promise<void> {
  let batch: Record<string, unknown>[] = [];
  for (const d of docs) {
    batch.push(d);
    if (batch.length === 2000) { await collection.insertMany(batch, { ordered: false }); batch = []; }
  }
  if (batch.length) await collection.insertMany(batch, { ordered: false });
}
