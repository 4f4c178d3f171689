/**
 * The mingo-free update of top-level fields (commands/update-doc.ts `topLevelUpdate`: `$set`,
 * `$unset`, `$inc`, `$push` incl. `$each`, as a case's save sends them) gives exactly mingo's
 * document — same fields, same order, same values — and never touches the stored document;
 * anything outside it is left to mingo (null), errors included.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { update as mingoUpdate } from 'mingo';
import type { Document } from 'bson';
import { applyUpdate, topLevelUpdate } from '@lianban/embedded-db';

const key = fc.constantFrom('a', 'b', 'c', 'tags', 'n', 'z');
const leaf = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, min: -10, max: 10 }), fc.constantFrom('x', 'y', null), fc.constant(new Date(5)));
const value = fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.record({ p: leaf, q: fc.array(leaf, { maxLength: 2 }) }, { noNullPrototype: true }));
const doc = fc.dictionary(key, value, { maxKeys: 5, noNullPrototype: true }).map((d) => ({ _id: 1, ...d }));
const modifier = fc.record({
  $set: fc.dictionary(key, value, { minKeys: 1, maxKeys: 3, noNullPrototype: true }),
  $unset: fc.dictionary(key, fc.constant(''), { minKeys: 1, maxKeys: 2, noNullPrototype: true }),
  $inc: fc.dictionary(key, fc.integer({ min: -3, max: 3 }), { minKeys: 1, maxKeys: 2, noNullPrototype: true }),
  $push: fc.dictionary(key, fc.oneof(leaf, fc.record({ $each: fc.array(leaf, { maxLength: 3 }) }, { noNullPrototype: true })), { minKeys: 1, maxKeys: 2, noNullPrototype: true }),
}, { requiredKeys: [], noNullPrototype: true });
/** Each operator on keys of its own (no conflicts between them), so more updates reach the fast path. */
const disjoint = fc.record({
  $set: fc.dictionary(fc.constantFrom('a', 'b'), value, { minKeys: 1, maxKeys: 2, noNullPrototype: true }),
  $unset: fc.dictionary(fc.constant('c'), fc.constant(''), { minKeys: 1, maxKeys: 1, noNullPrototype: true }),
  $inc: fc.dictionary(fc.constant('n'), fc.integer({ min: -3, max: 3 }), { minKeys: 1, maxKeys: 1, noNullPrototype: true }),
  $push: fc.dictionary(fc.constant('tags'), fc.oneof(leaf, fc.record({ $each: fc.array(leaf, { maxLength: 3 }) }, { noNullPrototype: true })), { minKeys: 1, maxKeys: 1, noNullPrototype: true }),
}, { requiredKeys: [], noNullPrototype: true });

/** Field order matters (it is what gets written): compare as ordered JSON. */
const ordered = (d: unknown) => JSON.stringify(d);

function withMingo(d: Document, m: Document): Document | Error {
  const copy = structuredClone(d);
  try {
    mingoUpdate(copy, m as never, [], {}, { cloneMode: 'deep' });
    return copy;
  } catch (err) {
    return err as Error;
  }
}

describe('top-level updates without mingo', () => {
  it('equal mingo on random documents and $set/$unset/$inc/$push modifiers, and leave the stored document alone', () => {
    let fast = 0;
    fc.assert(
      fc.property(doc, fc.oneof(modifier, disjoint), (d, m) => {
        const before = ordered(d);
        const out = topLevelUpdate(d, m);
        expect(ordered(d)).toBe(before);
        if (!out) return;
        fast++;
        const expected = withMingo(d, m);
        expect(expected).not.toBeInstanceOf(Error);
        expect(ordered(out)).toBe(ordered(expected));
      }),
      { numRuns: 2000 },
    );
    // the generator reaches the fast path often: ~700 of 2000 over 40 seeds (647–739); 400 is far below any seed
    expect(fast).toBeGreaterThan(400);
  });

  it("takes a case save's update and answers it as mingo does", () => {
    const stored = { _id: 'c1', rev: 3, status: 'in-progress', tasks: [{ id: 't1', state: 'open' }], timeline: [{ action: 'submit' }], flow: { seq: 2 } };
    const u = { $inc: { rev: 1 }, $push: { timeline: { $each: [{ action: 'complete' }, { action: 'notify' }] } }, $set: { tasks: [{ id: 't1', state: 'done' }], status: 'completed', pending: { id: 'p1' } } };
    const fast = topLevelUpdate(stored, u);
    expect(fast).not.toBeNull();
    expect(ordered(fast)).toBe(ordered(withMingo(stored, u)));
    // untouched fields are shared with the stored version (copy-on-write), the changed array is a new one
    expect(fast!.flow).toBe(stored.flow);
    expect(fast!.timeline).not.toBe(stored.timeline);
    expect(stored.timeline).toHaveLength(1);
    expect(ordered(applyUpdate(stored, u, { filter: { _id: 'c1', rev: 3 }, inserting: false }))).toBe(ordered(fast));
  });

  it('leaves dotted, positional, _id and odd updates to mingo, with its errors', () => {
    const stored = { _id: 1, a: { b: 1 }, s: 'text', arr: [{ x: 1 }] };
    for (const u of [{ $set: { 'a.b': 2 } }, { $set: { 'arr.$.x': 2 } }, { $set: { _id: 1 } }, { $inc: { s: 1 } }, { $push: { s: 1 } }, { $push: { arr: { $each: [1], $slice: -1 } } }, { $set: { a: 1 }, $unset: { a: '' } }, { $min: { n: 1 } }]) {
      expect(topLevelUpdate(stored, u)).toBeNull();
    }
    expect(applyUpdate(stored, { $set: { 'a.b': 2 } }, { filter: {}, inserting: false }).a).toEqual({ b: 2 });
    expect(applyUpdate(stored, { $set: { 'arr.$.x': 5 } }, { filter: { 'arr.x': 1 }, inserting: false }).arr).toEqual([{ x: 5 }]);
    // whatever mingo makes of these (an error or a result), applyUpdate makes the same
    for (const u of [{ $inc: { s: 1 } }, { $push: { s: 1 } }]) {
      const expected = withMingo(stored, u);
      if (expected instanceof Error) expect(() => applyUpdate(stored, u, { filter: {}, inserting: false })).toThrow();
      else expect(ordered(applyUpdate(stored, u, { filter: {}, inserting: false }))).toBe(ordered(expected));
    }
  });
});
