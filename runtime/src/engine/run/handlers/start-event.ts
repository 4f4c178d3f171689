/** Start event: the token leaves at once (message starts merged their variables in `start`). */
import type { ElementHandler } from '../run';

export const startEvent: ElementHandler = {
  enter: (run, tok, el) => run.leave(tok, el),
};
