/** Plain task (no type): nothing to wait for; completes at once (its linked item becomes done). */
import type { ElementHandler } from '../run';

export const task: ElementHandler = {
  enter(run, tok, el) {
    if (el.lb.linkedItem) run.setItem(el.lb.linkedItem, el.lb.itemStatus ?? 'done', el.id);
    run.leave(tok, el);
  },
};
