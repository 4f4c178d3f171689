/**
 * Deadlines of a case (承诺时限) and of its linked items (办理时限), declared by the matter in
 * working days (docs/deadlines.md). Set at submission (受理) — `startDeadline` — and moved by the
 * case clock when 补正 or 挂起 paused it (`shiftDeadline`, called from case-clock.ts's
 * `resumeClock`, the one place due dates move). Two timers of the timers collection carry the
 * warnings: `deadline:warn` (N working days before, to the staff of the departments holding
 * open tasks) and `deadline:overdue` (at expiry, to those departments' leads and the city
 * admins); the scheduler fires them here, once per case and kind, audited and in the timeline.
 *
 *   const start = startDeadline(matter, itemKeys, now, caseId);   // { deadline, items, timers }
 *   const moved = shiftDeadline(doc, pausedAt, now);              // { deadline, items, timerShifts } | null
 *   await fireDeadlineTimer(models, conn, doc, timer, now, mark); // the scheduler's part
 */
import { DEFAULT_WARN_WORKDAYS, deadlineDue, pausedWorkdays, workdaysBefore, type MatterTimeLimit } from '@lianban/runtime';
import { trusted, type ClientSession, type Connection } from 'mongoose';
import type { CaseDoc, Models, TimerDoc } from '../models';
import { audit } from './audit';
import { RevisionConflict, type CaseWithId } from './case-store';

/** The case's 承诺时限 as it stands: when it started and ends, what paused it, what was sent. */
export interface CaseDeadline {
  workdays: number;
  warnWorkdays: number;
  startedAt: Date;
  /** Working days the case clock stood still (补正, 挂起): the due date moved by as many. */
  pausedWorkdays: number;
  dueAt: Date;
  /** When the departments are warned (null: no warning, `warnWorkdays` 0). */
  warnAt: Date | null;
  warnedAt?: Date | null;
  escalatedAt?: Date | null;
}

/** A linked item's own 办理时限 on the case. */
export interface ItemDeadline { workdays: number; startedAt: Date; pausedWorkdays: number; dueAt: Date }

export const DEADLINE_TIMER_PREFIX = 'deadline:';
export const WARN_TIMER = 'deadline:warn';
export const OVERDUE_TIMER = 'deadline:overdue';
const ENDED = new Set(['completed', 'rejected', 'withdrawn', 'cancelled']);
const OPEN = new Set(['open', 'claimed']);
/** At most this many recipients per message (departments are small; a bound all the same). */
const MAX_RECIPIENTS = 500;

type Items = CaseDoc['items'];

function caseDeadlineFrom(limit: MatterTimeLimit, startedAt: Date, paused: number, sent: Pick<CaseDeadline, 'warnedAt' | 'escalatedAt'> = {}): CaseDeadline {
  // the default warning never falls on the day of 受理 itself: at most the limit less one day
  const warnWorkdays = limit.warnWorkdays ?? Math.min(DEFAULT_WARN_WORKDAYS, limit.workdays - 1);
  const dueAt = deadlineDue(startedAt, limit.workdays, paused);
  const warnAt = warnWorkdays > 0 ? workdaysBefore(dueAt, warnWorkdays) : null;
  return { workdays: limit.workdays, warnWorkdays, startedAt, pausedWorkdays: paused, dueAt, warnAt, warnedAt: sent.warnedAt ?? null, escalatedAt: sent.escalatedAt ?? null };
}

function deadlineTimers(d: CaseDeadline, caseId: string): Omit<TimerDoc, 'tenant'>[] {
  const timers: Omit<TimerDoc, 'tenant'>[] = [];
  if (d.warnAt) timers.push({ caseId, waitId: WARN_TIMER, dueAt: d.warnAt, leaseUntil: null, firedAt: null });
  timers.push({ caseId, waitId: OVERDUE_TIMER, dueAt: d.dueAt, leaseUntil: null, firedAt: null });
  return timers;
}

/**
 * The deadlines a submission starts at `now` (受理): the case's from the matter's 承诺时限, each
 * requested item's from its own limit, and the two timers (null deadline, no timers: no limit).
 */
export function startDeadline(
  matter: { timeLimit?: MatterTimeLimit; linkedItems: { key: string; timeLimit?: { workdays: number } }[] },
  items: Items, now: Date, caseId: string,
): { deadline: CaseDeadline | null; items: Items; timers: Omit<TimerDoc, 'tenant'>[] } {
  const deadline = matter.timeLimit ? caseDeadlineFrom(matter.timeLimit, now, 0) : null;
  const limits = new Map(matter.linkedItems.map((i) => [i.key, i.timeLimit]));
  const withDue = items.map((i) => {
    const limit = limits.get(i.key);
    return limit ? { ...i, deadline: { workdays: limit.workdays, startedAt: now, pausedWorkdays: 0, dueAt: deadlineDue(now, limit.workdays) } } : i;
  });
  return { deadline, items: withDue, timers: deadline ? deadlineTimers(deadline, caseId) : [] };
}

/**
 * The deadlines after a pause from `pausedAt` to `now`: later by the working days it cost, and
 * where the deadline timers now fall. Null when the case has no deadline at all.
 */
export function shiftDeadline(doc: Partial<Pick<CaseDoc, 'deadline' | 'items'>>, pausedAt: Date, now: Date): { deadline?: CaseDeadline | null; items?: Items; timerShifts: { waitId: string; dueAt: Date }[] } | null {
  const cost = pausedWorkdays(pausedAt, now);
  const hasItemDue = (doc.items ?? []).some((i) => i.deadline);
  if (!doc.deadline && !hasItemDue) return null;
  const timerShifts: { waitId: string; dueAt: Date }[] = [];
  let deadline = doc.deadline ?? null;
  if (deadline) {
    const d = deadline;
    deadline = caseDeadlineFrom({ workdays: d.workdays, warnWorkdays: d.warnWorkdays }, new Date(d.startedAt), d.pausedWorkdays + cost, d);
    if (deadline.warnAt) timerShifts.push({ waitId: WARN_TIMER, dueAt: deadline.warnAt });
    timerShifts.push({ waitId: OVERDUE_TIMER, dueAt: deadline.dueAt });
  }
  const items = (doc.items ?? []).map((i) => {
    if (!i.deadline || !cost) return i;
    // an item's due date moves with the case's pauses, counted from the same 受理
    const paused = i.deadline.pausedWorkdays + cost;
    return { ...i, deadline: { ...i.deadline, pausedWorkdays: paused, dueAt: deadlineDue(new Date(i.deadline.startedAt), i.deadline.workdays, paused) } };
  });
  return { deadline, items, timerShifts };
}

/** Departments holding the case's open staff tasks (not the applicant's, not 容缺 hand-ins). */
export function holdingDepartments(doc: Pick<CaseDoc, 'tasks'>): string[] {
  return [...new Set(doc.tasks.filter((t) => OPEN.has(t.state) && t.department !== 'applicant' && t.kind !== 'promise').map((t) => t.department))].slice(0, 50);
}

/**
 * Fires a deadline timer of the case: the warning to the holding departments' staff, or the
 * escalation to their leads and the city admins; once per case and kind (the case records it
 * with its revision, the timer is marked in the same transaction). False when nothing was sent
 * (the case ended, or it was already sent). Called within the scheduler's `mutateCase`: a
 * revision conflict reads the case again.
 */
export async function fireDeadlineTimer(
  models: Models, conn: Connection, doc: CaseWithId, timer: { waitId: string }, now: Date,
  mark: (firedAt: Date, s?: ClientSession) => Promise<{ matchedCount: number }>,
): Promise<boolean> {
  const overdue = timer.waitId === OVERDUE_TIMER;
  const d = doc.deadline;
  const already = overdue ? d?.escalatedAt : d?.warnedAt;
  if (!d || ENDED.has(doc.status) || already) { await mark(new Date(0)); return false; }
  const departments = holdingDepartments(doc);
  const due = new Date(d.dueAt);
  const dueText = due.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  const depts = departments.length ? { departments: trusted({ $in: departments }) } : null;
  let users: { _id: unknown }[] = [];
  if (!overdue) {
    if (depts) users = await models.User.find({ tenant: doc.tenant, roles: 'staff', disabled: trusted({ $ne: true }), ...depts }).select({ _id: 1 }).limit(MAX_RECIPIENTS).lean();
  } else {
    const or: Record<string, unknown>[] = [{ roles: 'admin' }];
    if (depts) or.push({ lead: true, ...depts });
    users = await models.User.find({ tenant: doc.tenant, disabled: trusted({ $ne: true }), $or: or }).select({ _id: 1 }).limit(MAX_RECIPIENTS).lean();
  }
  const kind = overdue ? 'deadline-overdue' as const : 'deadline-warning' as const;
  const message = overdue
    ? `办件 ${doc.no ?? ''}（${doc.matter.title}）已超过承诺时限（${d.workdays} 个工作日，${dueText} 到期）${departments.length ? `，在办部门：${departments.join('、')}` : ''}，请督办`
    : `办件 ${doc.no ?? ''}（${doc.matter.title}）将于 ${dueText} 到期（承诺时限 ${d.workdays} 个工作日），请抓紧办理`;
  const field = overdue ? 'deadline.escalatedAt' : 'deadline.warnedAt';
  await conn.transaction(async (session) => {
    const res = await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, {
      $set: { [field]: now },
      $push: { timeline: { at: now, actor: 'system', action: overdue ? 'deadline.overdue' : 'deadline.warned', detail: departments.join('、') || undefined } },
      $inc: { rev: 1 },
    }, { session });
    if (res.matchedCount === 0) throw new RevisionConflict();
    if ((await mark(now, session)).matchedCount === 0) throw new Error('timer lease lost');
    if (users.length) {
      await models.Notification.insertMany(users.map((u) => ({ tenant: doc.tenant, user: String(u._id), caseId: String(doc._id), caseNo: doc.no, kind, message, at: now, readAt: null })), { session });
    }
    await audit(models, { tenant: doc.tenant, name: 'system' }, overdue ? 'case.deadline-escalate' : 'case.deadline-warn', `case:${doc.no}`, { dueAt: due.toISOString(), departments, recipients: users.length }, session);
  });
  return true;
}

/** What `GET /cases/:id` shows of the 承诺时限 (null: the matter sets none). */
export function deadlineView(doc: Pick<CaseDoc, 'deadline' | 'clock'>) {
  const d = doc.deadline;
  if (!d) return null;
  return {
    workdays: d.workdays, warnWorkdays: d.warnWorkdays, startedAt: d.startedAt, dueAt: d.dueAt, pausedWorkdays: d.pausedWorkdays,
    paused: !!doc.clock?.pausedAt, warnedAt: d.warnedAt ?? null, escalatedAt: d.escalatedAt ?? null,
  };
}
