/** Intermediate throw events: none is a milestone (passes through); message asks the server to send it. */
import type { ElementHandler } from '../run';

export const intermediateThrowEvent: ElementHandler = {
  enter(run, tok, el) {
    if (el.event?.kind === 'message') {
      run.effects.push({ type: 'message', messageName: el.event.messageName!, elementId: el.id, payload: { ...run.state.vars } });
    }
    run.leave(tok, el);
  },
};
