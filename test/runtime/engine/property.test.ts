/**
 * Property-based: random block-structured models (nested sequence / parallel / exclusive /
 * inclusive blocks, generated as BPMN XML) driven to the end by completing random waits.
 * Every block's join is followed by a marker user task, so a join firing twice shows up as a
 * marker completed twice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complete, deploy, start, type FlowState } from '@lianban/runtime';
import { blockArb, toXml, VARS } from './random-models';

describe('random block-structured models', () => {
  it('should end every token, never fire a join twice, and round-trip state through JSON', async () => {
    await fc.assert(
      fc.asyncProperty(blockArb, fc.array(fc.boolean(), { minLength: VARS, maxLength: VARS }), fc.infiniteStream(fc.nat()), async (block, flags, picks) => {
        // given
        const { definition: def, problems } = await deploy(toXml(block));
        expect(problems).toEqual([]);
        const vars = Object.fromEntries(flags.map((f, i) => [`v${i}`, f]));

        // when: complete random waits until none is left
        let r = start(def!, vars, { now: '2026-11-20T09:00:00+08:00' });
        const pick = picks[Symbol.iterator]();
        for (let steps = 0; r.waits.length; steps++) {
          expect(steps).toBeLessThan(500);
          const text = JSON.stringify(r.state);
          const restored = JSON.parse(text) as FlowState;
          expect(restored).toStrictEqual(r.state);
          const wait = r.waits[pick.next().value % r.waits.length]!;
          r = complete(def!, restored, wait.id, {}, { now: '2026-11-20T09:00:00+08:00' });
        }

        // then
        expect(r.state.status).toBe('completed');
        expect(r.state.tokens).toEqual([]);
        expect(r.state.incidents).toEqual([]);
        const done = r.state.history.filter((h) => h.ev === 'completed').map((h) => h.el);
        expect(new Set(done).size).toBe(done.length);
        expect(r.state.history.filter((h) => h.ev === 'ended')).toHaveLength(1);
        expect(JSON.parse(JSON.stringify(r.state))).toStrictEqual(r.state);
      }),
      { numRuns: 200 },
    );
  });
});
