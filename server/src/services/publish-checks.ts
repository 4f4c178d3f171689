/**
 * The publish checks moved to the runtime (`checkMatter` in runtime/src/matters) so the designer
 * can run the same ones; services/definitions.ts calls it there. This file only keeps the old
 * name of the linked-item reader for callers not yet moved — delete it once none imports it.
 */
import { linkedItemKey as markKey } from '@lianban/runtime';

/** The linked-item key an opt-in field marks; prefer `linkedItemKey(node['x-linked-item'])` of the runtime. */
export function linkedItemKey(node: { 'x-linked-item'?: unknown }): string | undefined {
  return markKey(node['x-linked-item']);
}
