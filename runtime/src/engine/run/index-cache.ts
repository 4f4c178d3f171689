/**
 * Per-definition lookup tables built lazily and kept in a WeakMap, so the `Definition` itself
 * stays plain JSON (cacheable, shippable) while hot checks use Sets.
 */
import type { Definition } from '../types';

export interface RuntimeIndex {
  /** inclusive join id → incoming flow id → elements upstream of that flow. */
  upstream: Map<string, Map<string, Set<string>>>;
}

const cache = new WeakMap<Definition, RuntimeIndex>();

/** The lookup tables of a definition (built once per definition object). */
export function runtimeIndex(def: Definition): RuntimeIndex {
  let idx = cache.get(def);
  if (idx) return idx;
  idx = { upstream: new Map() };
  for (const el of Object.values(def.elements)) {
    if (!el.upstream) continue;
    idx.upstream.set(el.id, new Map(Object.entries(el.upstream).map(([f, ids]) => [f, new Set(ids)])));
  }
  cache.set(def, idx);
  return idx;
}
