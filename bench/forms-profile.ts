/**
 * Where a dependent-field reaction (and a mount) of the 500-field bench form spends its time,
 * ours and plain antd side by side, in headless Chromium on the production build of the bench
 * page (the page bench/forms.bench.ts measures):
 *
 *   npx tsx bench/forms-profile.ts [--fields 500] [--toggles 20] [--impl lianban,antd]
 *     [--cpu-prof DIR] [--trace DIR] [--css 'extra CSS for our page, to try a change']
 *
 * For each implementation it prints the median per reaction of Chromium's own counters
 * (CDP `Performance.getMetrics` in thread CPU time: script, style recalculation, layout, whole task, and how many
 * style recalcs / layouts ran), taken around each 是/否 click until two animation frames later,
 * and the same for one mount. With `--cpu-prof DIR` it also writes a V8 CPU profile of the
 * reactions per implementation (`DIR/reaction-<impl>.cpuprofile`: Chrome DevTools →
 * Performance → Load profile, or speedscope) and prints its top functions by self time; the
 * page is then built without minification, so the functions keep their names. With `--trace DIR`
 * it records a Chromium trace of 6 reactions (`DIR/reaction-<impl>.json`, DevTools → Performance
 * → Load profile) and prints, per reaction, how many elements each style recalculation touched
 * and how many layout objects each layout had to lay out — counts that do not depend on how busy
 * the machine is.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { buildFormsBenchSite, launchBenchChromium } from './forms.bench';
import { median } from './lib';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const fields = Math.min(2000, Math.max(2, Number(arg('fields', '500')) || 500));
const toggles = Math.min(200, Math.max(2, Number(arg('toggles', '20')) || 20));
const profDir = arg('cpu-prof', '');
const traceDir = arg('trace', '');
const impls = arg('impl', 'lianban,antd').split(',');
/** Extra CSS added to our form's page after it mounted (to try a style change on reactions). */
const extraCss = arg('css', '');

const COUNTERS = ['ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'TaskDuration', 'RecalcStyleCount', 'LayoutCount'] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;

async function counters(cdp: CDPSession): Promise<Counters> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const byName = new Map(metrics.map((m) => [m.name, m.value]));
  return Object.fromEntries(COUNTERS.map((c) => [c, byName.get(c) ?? 0])) as Counters;
}

const delta = (a: Counters, b: Counters): Counters =>
  Object.fromEntries(COUNTERS.map((c) => [c, c.endsWith('Count') ? b[c] - a[c] : (b[c] - a[c]) * 1000])) as Counters;

const afterTwoFrames = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }

/** Top functions by self time of a V8 CPU profile. */
function topSelf(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, n = 15): string[] {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [], deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (!node) continue;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`);
}

interface TraceEvent { name: string; ph: string; dur?: number; args?: { elementCount?: number; beginData?: { dirtyObjects?: number; totalObjects?: number } } }
type TraceFile = { traceEvents: TraceEvent[] } | TraceEvent[];

/** Style recalcs (elements) and layouts (dirty / total objects) in a trace, with their durations. */
function traceSummary(trace: TraceFile): string[] {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const out: string[] = [];
  let styleEls = 0, styleMs = 0, layoutDirty = 0, layoutMs = 0, paintMs = 0;
  for (const e of events) {
    if (e.ph !== 'X') continue;
    const ms = (e.dur ?? 0) / 1000;
    if (e.name === 'UpdateLayoutTree') { styleEls += e.args?.elementCount ?? 0; styleMs += ms; }
    else if (e.name === 'Layout') { layoutDirty += e.args?.beginData?.dirtyObjects ?? 0; layoutMs += ms; out.push(`  layout ${e.args?.beginData?.dirtyObjects ?? '?'} dirty of ${e.args?.beginData?.totalObjects ?? '?'} objects, ${ms.toFixed(2)} ms`); }
    else if (e.name === 'Paint' || e.name === 'PrePaint' || e.name === 'Layerize') paintMs += ms;
  }
  out.unshift(`  in all: style recalc ${styleEls} elements ${styleMs.toFixed(1)} ms · layout ${layoutDirty} dirty objects ${layoutMs.toFixed(1)} ms · pre-paint/paint/layerize ${paintMs.toFixed(1)} ms`);
  return out.slice(0, 14);
}

async function profileImpl(page: Page, url: string, impl: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  // Thread CPU time, not wall time: the counters mean something on a busy machine too.
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.goto(`${url}/?impl=${impl}&fields=${fields}`);
  await page.waitForFunction(() => window.__formsBench !== undefined);
  await page.goto(`${url}/?impl=${impl}&fields=${fields}`); // warm
  const m0 = await counters(cdp);
  await page.waitForFunction(() => window.__formsBench !== undefined);
  await afterTwoFrames(page);
  const mount = delta(m0, await counters(cdp));
  const mountMs = await page.evaluate(() => window.__formsBench!.mountMs);
  if (extraCss && impl === 'lianban') await page.addStyleTag({ content: extraCss });
  for (let i = 0; i < 4; i++) await page.evaluate(() => window.__formsBench!.toggle()); // warm up
  if (traceDir) {
    const browser = page.context().browser()!;
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    for (let i = 0; i < 6; i++) { await page.evaluate(() => window.__formsBench!.toggle()); await afterTwoFrames(page); }
    const buf = await browser.stopTracing();
    fs.mkdirSync(traceDir, { recursive: true });
    const file = path.join(traceDir, `reaction-${impl}.json`);
    fs.writeFileSync(file, buf);
    console.log(`\n${impl}: trace of 6 reactions → ${file}\n${traceSummary(JSON.parse(buf.toString()) as TraceFile).join('\n')}`);
  }
  if (profDir) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 250 }); await cdp.send('Profiler.start'); }
  const per: Counters[] = [];
  const measured: number[] = [];
  for (let i = 0; i < toggles; i++) {
    const a = await counters(cdp);
    measured.push(await page.evaluate(() => window.__formsBench!.toggle()));
    await afterTwoFrames(page);
    per.push(delta(a, await counters(cdp)));
  }
  if (profDir) {
    const { profile } = await cdp.send('Profiler.stop');
    fs.mkdirSync(profDir, { recursive: true });
    const file = path.join(profDir, `reaction-${impl}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    console.log(`\n${impl}: CPU profile of ${toggles} reactions → ${file}; top self time:\n${topSelf(profile as never).join('\n')}`);
  }
  const fmt = (c: Counters) => COUNTERS.map((k) => `${k.replace('Duration', '')} ${k.endsWith('Count') ? c[k].toFixed(1) : c[k].toFixed(2)}`).join(' · ');
  const med = Object.fromEntries(COUNTERS.map((k) => [k, median(per.map((p) => p[k]))])) as Counters;
  console.log(`\n${impl}: mount ${mountMs.toFixed(0)} ms as measured; page counters (ms): ${fmt(mount)}`);
  console.log(`${impl}: reaction as measured ${median(measured).toFixed(2)} ms (${Math.min(...measured).toFixed(2)}…${Math.max(...measured).toFixed(2)}); median counters per reaction (ms, to two frames later): ${fmt(med)}`);
  await cdp.detach();
}

const site = await buildFormsBenchSite({ minify: !profDir });
const browser = await launchBenchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.setDefaultTimeout(180_000);
  for (const impl of impls) await profileImpl(page, site.url, impl);
} finally {
  await browser.close();
  await site.close();
}
