/** Exclusive gateway: the first outgoing flow whose condition holds (document order), else the default; else an incident. */
import type { ElementHandler } from '../run';

export const exclusiveGateway: ElementHandler = {
  enter(run, tok, el) {
    for (const id of el.outgoing) {
      if (id === el.default) continue;
      const ok = run.test(tok, run.flow(id));
      if (ok === undefined) return;
      if (ok) return run.take(tok, [id]);
    }
    if (el.default) return run.take(tok, [el.default]);
    if (!el.outgoing.length) return run.consume(tok);
    run.incident(tok, 'no-path', `排他网关 ${el.id} 没有满足条件的出口，也没有默认顺序流`);
  },
};
