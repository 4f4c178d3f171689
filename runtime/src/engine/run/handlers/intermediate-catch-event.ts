/**
 * Intermediate catch events: a message catch waits for `POST /messages` (see `correlate`), a
 * timer waits for the server's scheduler (`dueAt`). On resume, message variables are merged.
 */
import { applyInput, completeActivity, enterActivity, timerDue } from '../activity';
import type { ElementHandler } from '../run';

export const intermediateCatchEvent: ElementHandler = {
  enter(run, tok, el) {
    enterActivity(run, tok, el);
    tok.resting = 'wait';
    if (el.event?.kind === 'timer') run.addWait(tok, el.id, 'timer', { due: timerDue(run.now, el.event.timer!) });
    else run.addWait(tok, el.id, 'messageCatch');
  },
  resume(run, tok, el, _wait, input) {
    const outcome = applyInput(run, el, input);
    run.log(el.id, el.event?.kind === 'timer' ? 'timer' : 'message', outcome ? { o: outcome } : {});
    completeActivity(run, tok, el, outcome);
  },
};
