/**
 * End events. none: the token ends (the scope completes when it was the last). message: also
 * tells the server to send the message. error: thrown to the nearest matching error boundary,
 * else an incident. terminate: ends the sub-process, or the whole case at process level.
 * `lb:caseResult="rejected"` ends the whole case as rejected, whatever else still runs, and
 * the items not yet finished become not-applicable.
 */
import type { ElementHandler } from '../run';
import { throwError } from '../throw-error';

export const endEvent: ElementHandler = {
  enter(run, tok, el) {
    if (el.lb.itemStatus && el.lb.linkedItem) run.setItem(el.lb.linkedItem, el.lb.itemStatus, el.id);
    const kind = el.event?.kind ?? 'none';
    if (kind === 'error') {
      if (!throwError(run, tok, el.event?.errorCode, false)) {
        run.incident(tok, 'uncaught-error', `错误结束事件 ${el.id}（错误码 ${el.event?.errorCode ?? '无'}）没有被任何错误边界事件捕获`);
      }
      return;
    }
    run.log(el.id, 'ended');
    if (kind === 'message') {
      run.effects.push({ type: 'message', messageName: el.event!.messageName!, elementId: el.id, payload: { ...run.state.vars } });
    }
    if (el.lb.caseResult === 'rejected') {
      run.state.status = 'rejected';
      return run.endCase('rejected');
    }
    if (kind === 'terminate') return run.terminateScope(tok.scope);
    run.consume(tok);
  },
};
