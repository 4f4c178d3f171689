/**
 * Receive task: a department step handled in the department's own system. The step waits for
 * its message (`POST /messages` → `correlate` → `complete`); an `outcome` in the message
 * variables counts like a user task's outcome (e.g. `not-eligible` → standalone item).
 */
import { applyInput, completeActivity, enterActivity } from '../activity';
import type { ElementHandler } from '../run';

export const receiveTask: ElementHandler = {
  enter(run, tok, el) {
    enterActivity(run, tok, el);
    tok.resting = 'wait';
    run.addWait(tok, el.id, 'receiveTask');
  },
  resume(run, tok, el, wait, input) {
    const outcome = applyInput(run, el, input);
    run.log(el.id, 'message', { w: wait.id, ...(outcome ? { o: outcome } : {}) });
    completeActivity(run, tok, el, outcome);
  },
};
