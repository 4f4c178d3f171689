/**
 * Differential: on random block-structured models, the user tasks our engine completes must be
 * exactly those BPMN's semantics prescribes for the variables (`modelOf(...).userTasks`, an
 * independent reading of the block tree: parallel runs every branch, exclusive the first branch
 * whose condition holds or the default, inclusive every branch whose condition holds or the
 * default, each join once) — whatever order the waits are completed in.
 *
 * `bpmn-engine` (25), the engine ours replaces, was tried as the reference first and fails this
 * same oracle: it runs an inclusive join's marker once per arriving token, and it did not end
 * (within 2 s) a parallel block holding an exclusive block whose default flow was taken. The benchmark
 * (bench/engine.bench.ts) still uses it, as the speed baseline only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complete, deploy, start } from '@lianban/runtime';
import { blockArb, modelOf, VARS } from './random-models';

const NOW = '2026-11-20T09:00:00+08:00';

describe('our engine vs the BPMN semantics of block-structured models', () => {
  it('should complete exactly the prescribed user tasks, in any completion order', async () => {
    await fc.assert(
      fc.asyncProperty(blockArb, fc.array(fc.boolean(), { minLength: VARS, maxLength: VARS }), fc.infiniteStream(fc.nat()), async (block, flags, picks) => {
        const vars = Object.fromEntries(flags.map((f, i) => [`v${i}`, f]));
        const model = modelOf(block);
        const { definition, problems } = await deploy(model.xml);
        expect(problems).toEqual([]);
        let r = start(definition!, vars, { now: NOW });
        const pick = picks[Symbol.iterator]();
        for (let steps = 0; r.waits.length; steps++) {
          expect(steps).toBeLessThan(500);
          r = complete(definition!, r.state, r.waits[pick.next().value % r.waits.length]!.id, {}, { now: NOW });
        }
        expect(r.state.status).toBe('completed');
        const done = r.state.history.filter((h) => h.ev === 'completed').map((h) => h.el).sort();
        expect(done).toEqual(model.userTasks(vars));
      }),
      { numRuns: 300 },
    );
  });
});
