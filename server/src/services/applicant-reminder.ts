/**
 * The applicant's reminder before a task of theirs is due (issue 19 part 5): a service task with
 * `lb:connector="applicant-reminder"` — typically after a non-interrupting boundary timer on the
 * applicant's task — becomes a notification to the applicant (delivered like every other, by the
 * notifier) naming the open task and its due date, instead of an outbox entry. Its `lb:payload`,
 * when a string, is added as the text.
 */
import { chinaDate } from '@lianban/runtime';
import type { Effect } from '@lianban/runtime';
import type { CaseDoc, CaseTask } from '../models';
import type { CaseChanges, StepContext } from './case-flow';

export const APPLICANT_REMINDER = 'applicant-reminder';

/** Adds the reminder notification and its timeline line; the applicant's open tasks name what is due. */
export function remindApplicant(effect: Extract<Effect, { type: 'push' }>, tasks: CaseTask[], changes: CaseChanges, doc: Pick<CaseDoc, 'no'>, ctx: StepContext): void {
  const open = tasks.filter((t) => t.department === 'applicant' && (t.state === 'open' || t.state === 'claimed'));
  const what = open.map((t) => `「${t.name}」${t.dueAt ? `（请于 ${chinaDate(new Date(t.dueAt))} 前完成）` : ''}`).join('、');
  const extra = typeof effect.payload === 'string' ? effect.payload.slice(0, 500) : '';
  const message = `提醒：您的办件 ${doc.no ?? ''} 还有待办${what || '未完成'}${extra ? `。${extra}` : ''}`;
  changes.notifications.push({ caseId: ctx.caseId, caseNo: doc.no, kind: 'needs-action', message, at: ctx.now, readAt: null });
  changes.timeline.push({ at: ctx.now, actor: 'system', action: 'applicant.reminded', elementId: effect.elementId, detail: what });
}
