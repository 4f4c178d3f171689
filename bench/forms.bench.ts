/**
 * Forms: server-side validation throughput and renderer speed, each beside its baseline.
 *
 * 1. Validations/s of one 常州-sized submission (附件3 + 附件5 fields, ~60 fields with repeating
 *    rows) through `compileValidator(schema).validate` — recomputing derived values, dropping
 *    hidden fields, the pure checker and ajv. Baselines: (a) ajv alone on the plain JSON
 *    Schema export (no recomputation, no rules beyond if/then); (b) the naive approach of
 *    compiling the schema for every submission.
 * 2. In headless Chromium (playwright-core, system Chromium): mount time of a 500-field form
 *    and the latency of a dependent field (f0 = 是 shows f1), our renderer vs a plain antd 5
 *    Form with the same fields,
 *    both from a fresh Vite build of the bench page's own entry (also served by the portal at /bench/forms).
 *    - Mount: a synchronous React render of the whole form, then `offsetHeight` (style + layout);
 *      9 mounts each, alternating.
 *    - Reaction: from the click on 是/否 until f1 has appeared / disappeared in the DOM and style
 *      and layout are done (a MutationObserver sees f1, then `offsetHeight` forces style +
 *      layout) — the same point for both; paint and compositing come later in the frame and are
 *      not included. Each click starts from a painted, idle page (two animation frames).
 *      Both forms stay open in two tabs and the clicks alternate between them (ABBA), 4 warm-up
 *      clicks then 24 measured each; the row is the median with min…max. A second row gives
 *      the same clicks' main-thread CPU (Chromium's script + style + layout counters in thread
 *      time, from the click to two frames later): on a busy machine wall time inflates the
 *      longer task more, thread time does not.
 *    `npx tsx bench/forms-profile.ts` shows where a reaction's time goes (Chromium's counters,
 *    a trace, a CPU profile).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { showcaseSchema, showcaseValidPayload, type FieldSchema, type FormSchema } from '@lianban/runtime';
import { compileValidator, createFormAjv, schemaHash } from '@lianban/runtime/validate';
import { compare, opsPerSecond, repeat, type Benchmark, type BenchResult } from './lib';

const repo = path.resolve(import.meta.dirname, '..');

/** 附件5 (社会化管理服务基本信息采集表) fields appended to the showcase: ~60 fields in all. */
export function changzhouSizedSchema(): FormSchema {
  const t = (title: string, type = 'text', extra: Partial<FieldSchema> = {}): FieldSchema => ({ type: type === 'yearMonth' || type !== 'yesNo' ? 'string' : 'boolean', title, 'x-field-type': type, ...(type === 'text' ? { maxLength: 100 } : {}), ...extra });
  const sel = (title: string, ...v: string[]): FieldSchema => ({ type: 'string', title, 'x-field-type': 'radio', enum: v.map((x) => ({ label: x, value: x })) });
  const properties: Record<string, FieldSchema> = {
    politics: t('政治面貌'), education: t('学历'), health: sel('健康状况', '正常', '重病'), fileLocation: t('档案存放地点'),
    hobbies: { type: 'array', title: '兴趣爱好', 'x-field-type': 'checkbox', enum: ['运动健身', '文艺表演', '棋牌', '书画', '摄影', '垂钓', '收藏', '其他'].map((x) => ({ label: x, value: x })) },
    residence: sel('常年居住区域', '本市本统筹区', '本市非本统筹区', '本省外市', '省外', '港澳台', '国外'),
    homeAddress: t('居住地址'), homePhone: t('联系电话', 'mobile'), homePostcode: t('邮政编码', 'postcode'),
    spouseName: t('配偶姓名'), spouseBirth: t('配偶出生年月', 'yearMonth'), spousePhone: t('配偶联系电话', 'mobile'),
    spouseHealth: sel('配偶健康状况', '正常', '重病'), spouseUnit: t('配偶单位全称'), spouseStatus: sel('配偶目前状况', '在职', '无职业', '离退休'),
    contact1Name: t('联系人1姓名', 'text', { required: true }), contact1Relation: sel('与其关系', '子女', '父母', '其他'), contact1Address: t('联系人1居住地址'),
    contact1Phone: t('联系人1联系电话', 'mobile', { required: true }), contact1Postcode: t('联系人1邮政编码', 'postcode'),
    contact2Name: t('联系人2姓名'), contact2Phone: t('联系人2联系电话', 'mobile'),
  };
  return {
    ...showcaseSchema,
    'x-form': { id: 'bench-changzhou', version: 1 },
    properties: { ...showcaseSchema.properties, collection: { type: 'void', title: '社会化管理服务基本信息采集', 'x-field-type': 'section', properties } },
  };
}

export const benchPayload = {
  ...showcaseValidPayload,
  socialManagement: true,
  communityRegion: ['32', '3204', '320402', '320402001', '320402001001'],
  interruptions: [{ from: '1990-01', to: '1990-06', reason: '待业' }, { from: '1995-03', to: '1995-05', reason: '调动' }],
  workHistory: [
    { from: '1985-07', to: '1990-01', unitAndPost: '常州示例机械厂 学徒' }, { from: '1990-07', to: '1995-03', unitAndPost: '常州示例机械厂 车工' },
    { from: '1995-05', to: '2005-12', unitAndPost: '常州示例机械有限公司 车工' }, { from: '2006-01', to: '2015-12', unitAndPost: '常州示例机械有限公司 班组长' },
    { from: '2016-01', to: '2025-01', unitAndPost: '常州示例机械有限公司 质检员' },
  ],
  politics: '群众', education: '高中', health: '正常', fileLocation: '常州市人才服务中心', hobbies: ['棋牌', '垂钓'], residence: '本市本统筹区',
  homeAddress: '常州市天宁区示例路1号', homePhone: '13912345678', homePostcode: '213000', spouseName: '李示例', spouseBirth: '1966-03',
  spousePhone: '13812345678', spouseHealth: '正常', spouseStatus: '离退休', contact1Name: '张小例', contact1Relation: '子女',
  contact1Phone: '13712345678', contact1Postcode: '213000', applyDate: '2025-01-10',
};

/** The baseline: ajv with our formats on the exported JSON Schema, without our checker. */
const plainAjv = createFormAjv;

function validationBench(): BenchResult[] {
  const schema = changzhouSizedSchema();
  const validator = compileValidator(schema);
  const check = validator.validate(benchPayload);
  if (!check.valid) throw new Error(`bench payload invalid: ${JSON.stringify(check.errors)}`);
  const fieldCount = Object.keys(check.value).length + 5 * 3 + 2 * 3;
  const { $id: _id, ...jsonSchema } = validator.jsonSchema;
  const plain = plainAjv().compile(jsonSchema);
  if (!plain(check.value)) throw new Error('plain ajv rejects the payload');
  // A submission the server has to clean up: derived values left out, mobile typed with +86.
  const { gender: _g, statutoryAge: _s, birthMonth: _b, ...rest } = benchPayload;
  const untidy = { ...rest, mobile: '+86 139-1234-5678' };
  if (!validator.validate(untidy).valid) throw new Error('untidy bench payload invalid');
  const ours: number[] = [], oursUntidy: number[] = [], base: number[] = [], naive: number[] = [];
  for (let i = 0; i < 7; i++) {
    ours.push(opsPerSecond(() => validator.validate(benchPayload)));
    oursUntidy.push(opsPerSecond(() => validator.validate(untidy)));
    base.push(opsPerSecond(() => plain(benchPayload)));
  }
  // Last: compiling churns generated code and garbage that would slow what runs after it.
  for (let i = 0; i < 3; i++) naive.push(opsPerSecond(() => compileValidator(schema, { key: schemaHash(Math.random()) }).validate(benchPayload), 300));
  const note = `${fieldCount} values incl. 5+2 rows; 1 core`;
  return [
    compare({ name: 'validate one 常州-sized submission (ours vs plain ajv, no recomputation)', unit: 'validations/s', samples: ours, baselineSamples: base, baselineName: 'ajv on the plain JSON Schema', target: { on: 'value', op: '>=', value: 50_000 }, note }),
    compare({ name: 'validate one submission needing clean-up (derived values absent, +86 mobile) vs plain ajv', unit: 'validations/s', samples: oursUntidy, baselineSamples: base, baselineName: 'ajv on the plain JSON Schema', target: { on: 'value', op: '>=', value: 50_000 }, note }),
    compare({ name: 'validate one submission (ours, compiled once vs recompiling per submission)', unit: 'validations/s', samples: ours, baselineSamples: naive, baselineName: 'compile schema + validate every time', target: { on: 'ratio', op: '>=', value: 10 }, note }),
  ];
}

function findChromium(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => p && fs.existsSync(p));
  if (!found) throw new Error('no Chromium found (set CHROMIUM_PATH)');
  return found;
}

/** Serves a built SPA directory (index.html fallback) on a loopback port. */
async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.json': 'application/json' };
  const server = http.createServer((req, res) => {
    const p = path.join(dir, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    const file = p.startsWith(dir) && fs.existsSync(p) && fs.statSync(p).isFile() ? p : path.join(dir, 'index.html');
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * Builds the bench page's own entry (production mode) into a temporary directory and serves it
 * on a loopback port; `close()` stops the server and removes the build. Also used by
 * bench/forms-profile.ts.
 */
export async function buildFormsBenchSite({ minify = true }: { minify?: boolean } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-bench-portal-'));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    // The bench page's own entry: independent of whatever else the portal holds right now.
    await build({
      configFile: false, root: path.join(repo, 'runtime/src/web/showcase/bench'), base: '/', plugins: [react()],
      logLevel: 'warn', mode: 'production', build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4000, minify },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const site = await serveStatic(outDir);
  return { url: site.url, close: async () => { await site.close(); fs.rmSync(outDir, { recursive: true, force: true }); } };
}

export const launchBenchChromium = () => chromium.launch({ executablePath: findChromium(), headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });

/** Dependent-field clicks measured per implementation, after a few that warm up. */
const REACTION_SAMPLES = 24;
const REACTION_WARMUP = 4;

async function rendererBench(): Promise<BenchResult[]> {
  const site = await buildFormsBenchSite();
  const browser = await launchBenchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const mount = async (impl: string) => {
      await page.goto(`${site.url}/?impl=${impl}&fields=500`);
      await page.waitForFunction(() => window.__formsBench !== undefined);
      return page.evaluate(() => window.__formsBench!.mountMs);
    };
    await mount('lianban'); await mount('antd'); // warm the HTTP cache and the JIT
    const oursMount: number[] = [], antdMount: number[] = [];
    await repeat(9, async () => { oursMount.push(await mount('lianban')); antdMount.push(await mount('antd')); return 0; });
    // Reactions: both forms open side by side in two tabs, clicks alternating between them
    // (ABBA order) so a busy spell of the shared machine hits both alike.
    const tabs = { lianban: page, antd: await browser.newPage({ viewport: { width: 1366, height: 768 } }) };
    await mount('lianban');
    await tabs.antd.goto(`${site.url}/?impl=antd&fields=500`);
    await tabs.antd.waitForFunction(() => window.__formsBench !== undefined);
    // Chromium's own counters in thread CPU time (CDP Performance.getMetrics): the work a click
    // caused, which preemption by other processes does not inflate as it does wall time.
    const cdp = { lianban: await tabs.lianban.context().newCDPSession(tabs.lianban), antd: await tabs.antd.context().newCDPSession(tabs.antd) };
    for (const s of Object.values(cdp)) await s.send('Performance.enable', { timeDomain: 'threadTicks' });
    const cpuMs = async (impl: keyof typeof tabs) => {
      const { metrics } = await cdp[impl].send('Performance.getMetrics');
      return 1000 * metrics.filter((m) => ['ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'].includes(m.name)).reduce((a, m) => a + m.value, 0);
    };
    const click = async (impl: keyof typeof tabs) => {
      const tab = tabs[impl];
      await tab.bringToFront();
      await tab.evaluate(() => window.__formsBench!.settle()); // start from a painted, idle page
      const cpu0 = await cpuMs(impl);
      const ms = await tab.evaluate(() => window.__formsBench!.toggle());
      await tab.evaluate(() => window.__formsBench!.settle()); // what the click caused up to the next two frames
      return { ms, cpu: (await cpuMs(impl)) - cpu0 };
    };
    for (let i = 0; i < REACTION_WARMUP; i++) { await click('lianban'); await click('antd'); }
    const oursReact: number[] = [], antdReact: number[] = [], oursCpu: number[] = [], antdCpu: number[] = [];
    for (let i = 0; i < REACTION_SAMPLES; i++) {
      const order: (keyof typeof tabs)[] = i % 2 ? ['antd', 'lianban'] : ['lianban', 'antd'];
      for (const impl of order) {
        const { ms, cpu } = await click(impl);
        (impl === 'lianban' ? oursReact : antdReact).push(ms);
        (impl === 'lianban' ? oursCpu : antdCpu).push(cpu);
      }
    }
    return [
      compare({ name: 'mount a 500-field form (ours vs plain antd 5 Form)', unit: 'ms', samples: oursMount, baselineSamples: antdMount, baselineName: 'antd 5 Form + Form.Item', target: { on: 'ratio', op: '<=', value: 0.8 }, note: 'headless Chromium, production build, render + layout; ours on forms over 150 fields: content-visibility on off-screen cells, rows as wrapping flex lines' }),
      compare({ name: 'dependent field reaction, 500 fields (ours vs plain antd 5 Form)', unit: 'ms', samples: oursReact, baselineSamples: antdReact, baselineName: 'antd 5 Form shouldUpdate', target: { on: 'ratio', op: '<=', value: 0.5 }, note: `click 是/否 → dependent field shown/hidden in the DOM, style + layout forced (MutationObserver, offsetHeight), ${REACTION_SAMPLES} clicks each alternating between two tabs; ours on forms over 150 fields: content-visibility on off-screen cells, rows as wrapping flex lines` }),
      compare({ name: 'dependent field reaction, main-thread CPU: script + style + layout (ours vs plain antd 5 Form)', unit: 'ms', samples: oursCpu, baselineSamples: antdCpu, baselineName: 'antd 5 Form shouldUpdate', note: 'the same clicks; Chromium thread time from the click to two frames later (paint not included); insensitive to other processes' }),
    ];
  } finally {
    await browser.close();
    await site.close();
  }
}

const bench: Benchmark = {
  name: 'Forms',
  async run() {
    // LIANBAN_BENCH_NO_BROWSER=1 measures validation only (quick iterations).
    return [...validationBench(), ...(process.env.LIANBAN_BENCH_NO_BROWSER === '1' ? [] : await rendererBench())];
  },
};

export default bench;
