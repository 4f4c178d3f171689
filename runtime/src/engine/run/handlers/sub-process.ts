/**
 * Embedded sub-process: its token rests on the sub-process element (`resting: 'sub'`) while a child
 * scope runs from the inner start event; when the child scope has no tokens left the
 * sub-process completes like any activity (boundary events apply to the whole sub-process).
 */
import { completeActivity, enterActivity } from '../activity';
import type { ElementHandler } from '../run';

export const subProcess: ElementHandler = {
  enter(run, tok, el) {
    enterActivity(run, tok, el);
    tok.resting = 'sub';
    const scope = { id: run.nextId('s'), element: el.id, token: tok.id };
    run.state.scopes.push(scope);
    const inner = run.newToken(el.start!, scope.id);
    run.enter(inner);
  },
  proceed(run, tok, el) {
    completeActivity(run, tok, el);
  },
};
