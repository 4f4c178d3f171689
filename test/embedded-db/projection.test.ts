/**
 * Inclusion projections with dotted paths (`{status: 1, 'tasks.state': 1, 'items.evaluation.score': 1}`,
 * what the statistics read of a case sends) are answered without mingo (commands/read.ts
 * `inclusionTree`/`projectTree`): the same document as mingo's `$project` — fields and values —
 * on random documents with embedded documents, arrays of documents and scalars.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Query } from 'mingo';
import { inclusionTree, projectTree } from '@lianban/embedded-db';

const leaf = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('s', null), fc.constant(new Date(7)));
const inner = fc.dictionary(fc.constantFrom('c', 'd', 'e'), fc.oneof(leaf, fc.array(leaf, { maxLength: 2 })), { maxKeys: 3, noNullPrototype: true });
const mid = fc.oneof(leaf, inner, fc.array(fc.oneof(inner, leaf), { maxLength: 3 }));
const field = fc.oneof(leaf, fc.dictionary(fc.constantFrom('b', 'c', 'd'), mid, { maxKeys: 3, noNullPrototype: true }), fc.array(fc.oneof(fc.dictionary(fc.constantFrom('b', 'c'), mid, { maxKeys: 2, noNullPrototype: true }), leaf), { maxLength: 3 }));
const doc = fc.dictionary(fc.constantFrom('a', 'b', 'x', 'y'), field, { maxKeys: 4, noNullPrototype: true }).map((d) => ({ _id: 9, ...d }));
const path = fc.constantFrom('a', 'b', 'x', 'a.b', 'a.c', 'a.b.c', 'a.b.d', 'b.c', 'x.b', 'x.d.e', 'y.c');
// `_id` left out, excluded or asked for explicitly (`{_id: 1, …}`, as mongoose's `select` may send it), also alone
const projection = fc.uniqueArray(path, { minLength: 0, maxLength: 4 }).chain((paths) => fc.constantFrom(undefined, 0, 1).map((id) => ({ ...Object.fromEntries(paths.map((p) => [p, 1])), ...(id === undefined ? {} : { _id: id }) })));

describe('dotted inclusion projections without mingo', () => {
  it('equal mingo on random documents and projections', () => {
    let answered = 0;
    fc.assert(
      fc.property(doc, projection, (d, p) => {
        const tree = inclusionTree(p);
        if (!tree) return; // a path collision: mingo's
        const ours = projectTree(d, tree);
        if (!ours) return; // an array inside an array: mingo's
        answered++;
        const theirs = new Query({}).find([d], p).all()[0];
        // the same fields and values (field order is the document's, as MongoDB's; mingo's differs)
        expect(ours).toStrictEqual(theirs);
        expect(Object.keys(ours).at(-1) === '_id').toBe('_id' in ours);
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(1000);
  });

  it('refuses what it does not answer', () => {
    expect(inclusionTree({ a: 0 })).toBeNull();
    expect(inclusionTree({ 'a.$': 1 })).toBeNull();
    expect(inclusionTree({ a: 1, 'a.b': 1 })).toBeNull();
    expect(inclusionTree({ 'a.b': 1, a: 1 })).toBeNull();
    expect(inclusionTree({ a: { $slice: 1 } })).toBeNull();
    expect(inclusionTree({ '_id.x': 1 })).toBeNull();
    expect(projectTree({ _id: 1, a: [[{ b: 1 }]] }, inclusionTree({ 'a.b': 1 })!)).toBeNull();
    // `{_id: 0}` alone is an exclusion (everything but the id), `{}` everything
    expect(inclusionTree({ _id: 0 })).toBeNull();
    expect(inclusionTree({})).toBeNull();
  });

  it('answers an explicit `_id: 1` itself', () => {
    expect(projectTree({ a: 1, b: 2, _id: 3 }, inclusionTree({ _id: 1 })!)).toStrictEqual({ _id: 3 });
    expect(projectTree({ rev: 4, data: { x: 1 }, updatedAt: new Date(5), _id: 3 }, inclusionTree({ _id: 1, updatedAt: 1, rev: 1 })!))
      .toStrictEqual({ rev: 4, updatedAt: new Date(5), _id: 3 });
  });
});
