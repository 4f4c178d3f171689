/**
 * Deployed flow definitions, cached by hash: a published flow is parsed once per process,
 * and a case always runs on the definition it started with.
 */
import { complete, deploy, type Definition, type StepResult } from '@lianban/runtime';
import { DomainError } from './errors';

const cache = new Map<string, Promise<Definition>>();

/** The definition of a published flow (its XML and the hash recorded at publish). */
export function definitionFor(flow: { hash: string; xml: string }): Promise<Definition> {
  let hit = cache.get(flow.hash);
  if (!hit) {
    hit = deploy(flow.xml).then(({ definition, problems }) => {
      if (!definition) throw new DomainError('flow-broken', `已发布的流程无法加载：${problems.map((p) => p.message).join('；')}`);
      return definition;
    });
    hit.catch(() => cache.delete(flow.hash));
    cache.set(flow.hash, hit);
  }
  return hit;
}

/**
 * Completes the service tasks a step opened: their push is stored with the case in the same
 * transaction, so the push is done once the step is saved. Effects of every step are kept.
 */
export function settleServiceTasks(def: Definition, step: StepResult, actor: string, now: string): StepResult {
  let current = step;
  const effects = [...step.effects];
  for (let guard = 0; guard < 100; guard++) {
    const service = current.waits.find((w) => w.kind === 'serviceTask');
    if (!service) break;
    current = complete(def, current.state, service.id, { outcome: 'pushed' }, { now, actor });
    effects.push(...current.effects);
  }
  return { ...current, effects };
}
