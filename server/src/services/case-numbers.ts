/**
 * Case numbers (办件编号): the city's prefix, the day in China time and a per-day sequence, e.g.
 * `LA202506010001`. The sequence is an atomic counter per prefix and day, so processes sharing
 * a database never hand out one number twice.
 */
import type { Models } from '../models';

// The date in China time, whatever the server's zone (a formatter is costly to build).
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

// A city's case-number prefix never changes once the city exists.
const prefixes = new WeakMap<Models, Map<string, Promise<string>>>();

function casePrefix(models: Models, tenant: string): Promise<string> {
  let cache = prefixes.get(models);
  if (!cache) prefixes.set(models, (cache = new Map()));
  let hit = cache.get(tenant);
  if (!hit) {
    hit = models.Tenant.findById(tenant).lean().then((t) => t?.casePrefix ?? tenant.slice(0, 2).toUpperCase());
    hit.catch(() => cache.delete(tenant));
    cache.set(tenant, hit);
  }
  return hit;
}

/** The next case number of the city for the day of `now`. */
export async function nextCaseNo(models: Models, tenant: string, now: Date): Promise<string> {
  const day = CHINA_DAY.format(now).replaceAll('-', '');
  const id = `${await casePrefix(models, tenant)}${day}`;
  const counter = await models.Counter.findOneAndUpdate({ _id: id }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
  return `${id}${String(counter!.seq).padStart(4, '0')}`;
}
