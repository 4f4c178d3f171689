/**
 * Boundary timer firing (error boundaries are reached through throw-error.ts). The timer wait
 * belongs to the host activity's token. Interrupting: the activity is cancelled (its task
 * withdrawn) and a token leaves through the boundary. Non-interrupting: the activity carries
 * on and a new token leaves through the boundary.
 */
import type { ElementHandler } from '../run';

export const boundaryEvent: ElementHandler = {
  enter(run, tok, el) {
    run.leave(tok, el);
  },
  resume(run, host, el) {
    run.log(el.id, 'timer');
    if (el.interrupting) run.cancel(host);
    const tok = run.newToken(el.id, host.scope);
    run.leave(tok, el);
  },
};
