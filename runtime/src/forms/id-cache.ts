/**
 * One submission parses the same ID number several times (its own check, birth date, gender,
 * category, statutory age…); remembering the last few results keeps that to one parse.
 */
import { parseResidentId, type ResidentIdInfo } from '../rules/index';

const cache = new Map<string, Readonly<ResidentIdInfo>>();

/** `parseResidentId` with a small memo; the result is frozen because it is shared. */
export function residentIdInfo(id: string): Readonly<ResidentIdInfo> {
  let info = cache.get(id);
  if (!info) {
    info = Object.freeze(parseResidentId(id));
    if (cache.size >= 64) cache.delete(cache.keys().next().value!);
    cache.set(id, info);
  }
  return info;
}
