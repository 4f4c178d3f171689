/**
 * Which departments of a city work in their own system (their tasks go to the outbox). Read on
 * every case step, so it is remembered for a second: a change in the city administration reaches
 * every process within that second.
 */
import type { Models } from '../models';

const TTL_MS = 1000;
const caches = new WeakMap<Models, Map<string, { at: number; value: Promise<Set<string>> }>>();

export function systemDepartments(models: Models, tenant: string): Promise<Set<string>> {
  let cache = caches.get(models);
  if (!cache) caches.set(models, (cache = new Map()));
  const hit = cache.get(tenant);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = models.Department.find({ tenant, mode: 'system' }).lean().then((docs) => new Set(docs.map((d) => d.key)));
  value.catch(() => cache.delete(tenant));
  cache.set(tenant, { at: Date.now(), value });
  return value;
}
