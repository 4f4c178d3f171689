/**
 * User task: a task in our tasklist for `lb:candidateGroups`, with form, due date and allowed
 * outcomes. The outcome is recorded in history and in the variable `outcome` (and in
 * `lb:outcomeVariable`), so the next gateway can branch on it.
 *
 * Parallel multi-instance (`lb:collection`, `lb:elementVariable`): one task per collection
 * entry — e.g. one per department — each with its own candidate groups (`lb:candidateGroups="=department"`);
 * the activity completes when all are done or the completion condition holds. With
 * `lb:outcomeVariable`, the instances' outcomes are collected there as a list in collection order.
 */
import { EngineError } from '../../errors';
import { evalFeel } from '../../feel';
import type { CompiledElement, Token } from '../../types';
import { applyInput, completeActivity, enterActivity, taskDue } from '../activity';
import type { ElementHandler, Run } from '../run';

function openTask(run: Run, tok: Token, el: CompiledElement, loc?: Record<string, unknown>): void {
  const due = taskDue(run, el);
  let groups: string[] | undefined;
  if (el.lb.candidateGroupsExpr) {
    const r = evalFeel(el.lb.candidateGroupsExpr, run.context(loc), run.now);
    if ('error' in r) return run.incident(tok, 'candidate-groups-error', `用户任务 ${el.id} 的 lb:candidateGroups 求值出错：${r.error}`);
    groups = (Array.isArray(r.value) ? r.value : [r.value]).filter((g) => g !== null && g !== undefined).map(String);
  }
  run.addWait(tok, el.id, 'userTask', { ...(due ? { due } : {}), ...(loc ? { loc } : {}), ...(groups ? { groups } : {}) });
}

function startInstances(run: Run, tok: Token, el: CompiledElement): void {
  const mi = el.mi!;
  const items = run.state.vars[mi.collection];
  if (!Array.isArray(items)) {
    return run.incident(tok, 'collection-not-list', `多实例任务 ${el.id} 的集合变量 ${mi.collection} 不是列表`);
  }
  if (el.lb.outcomeVariable) run.state.vars[el.lb.outcomeVariable] = items.map(() => null);
  if (!items.length) return completeActivity(run, tok, el);
  tok.resting = 'mi';
  tok.mi = { n: items.length, c: 0 };
  items.forEach((item, i) => {
    const loc: Record<string, unknown> = { loopCounter: i + 1 };
    if (mi.elementVariable) loc[mi.elementVariable] = item;
    openTask(run, tok, el, loc);
  });
}

export const userTask: ElementHandler = {
  enter(run, tok, el) {
    enterActivity(run, tok, el);
    if (el.mi) return startInstances(run, tok, el);
    tok.resting = 'wait';
    openTask(run, tok, el);
  },

  resume(run, tok, el, wait, input) {
    const allowed = el.lb.outcomes;
    if (allowed && (input.outcome === undefined || !allowed.includes(input.outcome))) {
      throw new EngineError('invalid-outcome', `任务 ${el.id} 的办理结果必须是：${allowed.join('、')}（收到 ${input.outcome ?? '空'}）`, el.id);
    }
    const outcome = applyInput(run, el, input);
    run.log(el.id, 'completed', { w: wait.id, ...(outcome ? { o: outcome } : {}) });
    if (!el.mi) return completeActivity(run, tok, el, outcome);

    const mi = tok.mi!;
    mi.c += 1;
    const list = el.lb.outcomeVariable ? run.state.vars[el.lb.outcomeVariable] : undefined;
    if (Array.isArray(list)) list[Number(wait.loc?.loopCounter) - 1] = outcome ?? null;
    let done = mi.c >= mi.n;
    if (!done && el.mi.completionCondition) {
      const r = evalFeel(el.mi.completionCondition, run.context({ ...wait.loc, nrOfInstances: mi.n, nrOfCompletedInstances: mi.c, nrOfActiveInstances: mi.n - mi.c }), run.now);
      if ('error' in r) return run.incident(tok, 'condition-error', `多实例任务 ${el.id} 的完成条件求值出错：${r.error}`);
      done = r.value === true;
    }
    // The item of a multi-instance task is done once, when the whole activity completes.
    if (done) completeActivity(run, tok, el);
  },
};
