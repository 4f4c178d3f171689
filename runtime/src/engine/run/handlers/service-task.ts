/**
 * Service task: the engine asks the server to push the item (webhook or outbox) with a `push`
 * effect and waits until the server reports the result (`complete`) or a failure
 * (`failServiceTask` → error boundary, else an incident with the wait left open for a retry).
 */
import { evalFeel } from '../../feel';
import { applyInput, completeActivity, enterActivity } from '../activity';
import type { ElementHandler } from '../run';

export const serviceTask: ElementHandler = {
  enter(run, tok, el) {
    enterActivity(run, tok, el);
    tok.resting = 'wait';
    let payload: unknown = { ...run.state.vars };
    if (el.lb.payload) {
      const r = evalFeel(el.lb.payload, run.context(), run.now);
      if ('error' in r) return run.incident(tok, 'payload-error', `服务任务 ${el.id} 的 lb:payload 求值出错：${r.error}`);
      payload = r.value;
    }
    const wait = run.addWait(tok, el.id, 'serviceTask');
    const { connector, department, linkedItem } = el.lb;
    run.effects.push({
      type: 'push', waitId: wait.id, elementId: el.id,
      ...(connector ? { connector } : {}), ...(department ? { department } : {}), ...(linkedItem ? { linkedItem } : {}),
      payload,
    });
  },
  resume(run, tok, el, wait, input) {
    const outcome = applyInput(run, el, input);
    run.log(el.id, 'completed', { w: wait.id, ...(outcome ? { o: outcome } : {}) });
    completeActivity(run, tok, el, outcome);
  },
};
