/**
 * Where a `.cpuprofile` spent its time, as text (issue #24): `npx tsx bench/profile-summary.ts
 * <file.cpuprofile> [top=40] [from=0] [to=1]`. Prints the busy time (idle left out) by area
 * — an npm package, a source file of ours, the garbage collector — then by function, self time
 * and inclusive time (a function counted once per sample however deep it recurses). `from` and
 * `to` are fractions of the profile's length (e.g. `0.3 1` leaves the start-up and seeding out).
 *
 * Frames of the server bundle (`server/dist/…/main.js`, the benchmark's children) are mapped back
 * to the TypeScript sources through `server/dist/main.js.map` (run `npm run build:server` from the
 * same sources first: the children's own `server/dist/child-<pid>/` is gone when they exit).
 * Inclusive time follows the synchronous stack only: an `await` starts a new stack.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SourceMap } from 'node:module';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const [file, topArg = '40', fromArg = '0', toArg = '1'] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top=40] [from=0] [to=1]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const top = Number(topArg);

const maps = new Map<string, SourceMap | null>();
/** The source map of a bundle frame: the child's own, else the one `npm run build:server` wrote. */
function mapOf(url: string): SourceMap | null {
  if (!url.endsWith('main.js')) return null;
  if (!maps.has(url)) {
    const own = `${url.replace(/^file:\/\//, '')}.map`;
    const built = own.replace(/child-[0-9]+\//, '');
    const found = [own, built].find((f) => fs.existsSync(f));
    maps.set(url, found ? new SourceMap(JSON.parse(fs.readFileSync(found, 'utf8'))) : null);
  }
  return maps.get(url)!;
}

const shortPath = (p: string) => p.replace(/^file:\/\//, '').replace(/^.*node_modules\//, 'nm:').replace(/^(\.\.\/)+/, '').replace(`${process.cwd()}${path.sep}`, '');

function where(url: string, line: number): { file: string; line: number } {
  const map = mapOf(url);
  const entry = map?.findEntry(line, 0) as { originalSource?: string; originalLine?: number } | undefined;
  if (entry?.originalSource) return { file: shortPath(entry.originalSource), line: (entry.originalLine ?? 0) + 1 };
  return { file: shortPath(url), line: line + 1 };
}

function areaOf(fileName: string, url: string, fn: string): string {
  if (!url) return fn || '(native)';
  if (fileName.startsWith('nm:')) {
    const parts = fileName.slice(3).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (fileName.startsWith('node:')) return 'node';
  return fileName.split('/').slice(0, 3).join('/');
}

const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = new Map<number, { fn: string; area: string; idle: boolean }>();
for (const n of profile.nodes) {
  const { functionName, url, lineNumber } = n.callFrame;
  const at = where(url, lineNumber);
  label.set(n.id, { fn: `${functionName || '(anonymous)'} ${url ? `${at.file}:${at.line}` : ''}`.trim(), area: areaOf(at.file, url, functionName), idle: functionName === '(idle)' });
}

const span = profile.endTime - profile.startTime;
const from = profile.startTime + span * Number(fromArg);
const to = profile.startTime + span * Number(toArg);
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const byArea = new Map<string, number>();
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
let busy = 0;
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i]!;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  if (t < from || t > to) continue;
  const id = profile.samples[i]!;
  const l = label.get(id)!;
  if (l.idle) continue;
  busy += dt;
  add(self, l.fn, dt);
  add(byArea, l.area, dt);
  const seen = new Set<string>();
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
    const fn = label.get(x)!.fn;
    if (!seen.has(fn)) { seen.add(fn); add(inclusive, fn, dt); }
  }
}

function print(title: string, m: Map<string, number>): void {
  console.log(`\n== ${title} (busy ${(busy / 1000).toFixed(0)} ms)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * v) / busy).toFixed(1).padStart(5)}% ${(v / 1000).toFixed(0).padStart(8)} ms  ${k}`);
  }
}
print('self time by area', byArea);
print('self time by function', self);
print('inclusive time by function', inclusive);
