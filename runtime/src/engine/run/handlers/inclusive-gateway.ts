/**
 * Inclusive gateway. Split: every outgoing flow whose condition holds (the default flow only
 * when none does; an incident when nothing holds). Join (more than one incoming flow): the
 * arriving token rests (`resting: 'join'`) and the run fires the join once no token of the scope can
 * still reach an incoming flow that has no token — see Run.fireReadyJoin and deploy/graph.ts.
 */
import type { ElementHandler } from '../run';

export const inclusiveGateway: ElementHandler = {
  enter(run, tok, el) {
    if (el.incoming.length > 1) {
      tok.resting = 'join';
      return;
    }
    inclusiveGateway.proceed!(run, tok, el);
  },
  proceed(run, tok, el) {
    const chosen: string[] = [];
    for (const id of el.outgoing) {
      if (id === el.default) continue;
      const ok = run.test(tok, run.flow(id));
      if (ok === undefined) return;
      if (ok) chosen.push(id);
    }
    if (!chosen.length && el.default) chosen.push(el.default);
    if (!chosen.length && el.outgoing.length) {
      return run.incident(tok, 'no-path', `包容网关 ${el.id} 没有满足条件的出口，也没有默认顺序流`);
    }
    run.take(tok, chosen);
  },
};
