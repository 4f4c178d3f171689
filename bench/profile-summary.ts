/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 40] [--by function|file] [--from s] [--to s]`:
 * self and inclusive time by function (or by file) of a V8 CPU profile (`node --cpu-prof`,
 * docs/benchmarks.md "Flame graphs"), as percentages of the busy time (samples not in
 * `(idle)`), so profiles from a loaded machine compare by proportion. Inclusive time counts a
 * sample once per function on its stack (recursion is not counted twice). `--from`/`--to` keep
 * only the samples between those seconds after the profile's start (e.g. the load's range).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' }, by: { type: 'string', default: 'function' }, from: { type: 'string' }, to: { type: 'string' } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 40] [--by function|file] [--from s] [--to s]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const shortUrl = (url: string) => {
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm + 13);
  const rel = path.relative(process.cwd(), u);
  return rel.startsWith('..') ? u : rel;
};
const keyOf = (n: Node): string => {
  const { functionName, url, lineNumber } = n.callFrame;
  if (args.by === 'file') return url ? shortUrl(url) : functionName || '(anonymous)';
  return `${functionName || '(anonymous)'}${url ? ` ${shortUrl(url)}:${lineNumber + 1}` : ''}`;
};

const self = new Map<string, number>();
const total = new Map<string, number>();
let busy = 0;
let idle = 0;
const from = args.from === undefined ? -Infinity : Number(args.from) * 1e6;
const to = args.to === undefined ? Infinity : Number(args.to) * 1e6;
let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  if (t < from || t > to) continue;
  const dt = profile.timeDeltas[i + 1] ?? 0; // a sample's time runs until the next one
  const leaf = byId.get(profile.samples[i]!)!;
  const name = leaf.callFrame.functionName;
  if (name === '(idle)') {
    idle += dt;
    continue;
  }
  busy += dt;
  const leafKey = keyOf(leaf);
  self.set(leafKey, (self.get(leafKey) ?? 0) + dt);
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const k = keyOf(byId.get(id)!);
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + dt);
  }
}

const top = Number(args.top);
const pct = (v: number) => `${((100 * v) / busy).toFixed(1).padStart(5)} %`;
console.log(`${file}: busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s`);
console.log('\nself time');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
console.log('\ninclusive time');
for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
