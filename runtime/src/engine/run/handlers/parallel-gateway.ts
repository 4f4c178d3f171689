/** Parallel gateway: joins when every incoming flow has a token (in the same scope), then takes all outgoing flows. */
import type { ElementHandler } from '../run';

export const parallelGateway: ElementHandler = {
  enter(run, tok, el) {
    if (el.incoming.length > 1) {
      tok.resting = 'join';
      const waiting = run.state.tokens.filter((t) => t.resting === 'join' && t.element === el.id && t.scope === tok.scope);
      const filled = new Set(waiting.map((t) => t.via));
      if (!el.incoming.every((f) => filled.has(f))) return;
      tok = run.merge(waiting);
    }
    run.take(tok, el.outgoing);
  },
};
