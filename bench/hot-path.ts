/**
 * Issue #24's hot path, measured in-process: `npx tsx bench/hot-path.ts [requests] [concurrency]`.
 * The app (as `npm start` assembles it) listens in this process; the embedded database runs in a
 * process of its own (`npm run db`, as in production); requests are `fetch`es from this process
 * (so the server's CPU below includes the client's, a small share). Prints per request, for
 * submissions (`POST /cases`, the 常州 example) and completions (`POST /tasks/:id/complete`,
 * 企业职工退休审批 approved): database commands, server CPU ms (process.cpuUsage), database CPU ms
 * (the database process's /proc stat), and requests/s.
 * A flame graph: `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/hot-path.ts`, then
 * open the .cpuprofile in Chrome DevTools (Performance → Load profile) or speedscope.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configFromEnv, createApp, createServices, openDatabase, seedDemoAccounts, seedDemoTemplates } from '@lianban/server';
import { startDbChild } from '@lianban/test/server/child-server';
import { apiSession } from './api-session';

const N = Number(process.argv[2] ?? 300);
const C = Number(process.argv[3] ?? 8);
const PASSWORD = 'Bench-Passw0rd!';

function dbCpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

async function parallel<T>(items: T[], k: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(k, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-hot-path-'));
  const dbChild = await startDbChild(path.join(dir, 'db'));
  const config = { ...configFromEnv({ MONGODB_URI: dbChild.uri }), dataDir: path.join(dir, 'data'), webRoot: '/nonexistent' };
  const db = await openDatabase(config);
  if (!db.connection) throw new Error(`database unavailable: ${db.problem}`);
  const services = createServices(db.connection);
  await Promise.all(Object.values(services.models).map((m) => m.init()));
  await seedDemoAccounts(services.models, PASSWORD);
  await seedDemoTemplates(services.models);
  const server = createServer(createApp({ config, db, services }).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  let commands = 0;
  const byName = new Map<string, number>();
  db.connection.getClient().on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
    commands++;
    const key = `${e.commandName} ${String(e.command[e.commandName] ?? '')}`;
    byName.set(key, (byName.get(key) ?? 0) + 1);
  });

  const { applicant, hrss, body, post } = await apiSession(url, PASSWORD);
  const submitted: string[] = [];
  const submit = async () => { submitted.push((await post(applicant, '/cases', body)).no!); };
  const tasksOf = async (nos: string[]) => {
    const want = new Set(nos);
    const out: string[] = [];
    for (let after: unknown; ;) {
      const res = await fetch(`${url}/tasks?limit=200${after ? `&after=${encodeURIComponent(JSON.stringify(after))}` : ''}`, { headers: { cookie: hrss } });
      const page = await res.json() as { items?: { id: string; caseNo: string; name: string }[]; next?: unknown } | { id: string; caseNo: string; name: string }[];
      const items = Array.isArray(page) ? page : page.items ?? [];
      out.push(...items.filter((t) => want.has(t.caseNo) && t.name === '企业职工退休审批').map((t) => t.id));
      after = Array.isArray(page) ? undefined : page.next;
      if (!after) return out;
    }
  };
  const complete = (id: string) => post(hrss, `/tasks/${id}/complete`, JSON.stringify({ outcome: 'approved' }));

  async function measure(label: string, items: string[], fn: (item: string) => Promise<unknown>) {
    await new Promise((r) => setTimeout(r, 300));
    byName.clear();
    const c0 = commands; const cpu0 = process.cpuUsage(); const db0 = dbCpuMs(dbChild.child.pid!); const t0 = performance.now();
    await parallel(items, C, fn);
    const ms = performance.now() - t0; const cpu = process.cpuUsage(cpu0); const dbMs = dbCpuMs(dbChild.child.pid!) - db0;
    await new Promise((r) => setTimeout(r, 300)); // deferred work (after the answers) is counted too
    const n = items.length;
    console.log(`${label}: ${n} requests, concurrency ${C}: ${((commands - c0) / n).toFixed(2)} commands/req, server CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms/req, database CPU ${(dbMs / n).toFixed(2)} ms/req, ${(n / ms * 1000).toFixed(0)} req/s`);
    console.log(`  ${[...byName].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${(v / n).toFixed(2)}`).join(' · ')}`);
  }

  // warm-up: caches, JIT
  await parallel(Array.from({ length: 40 }, (_, i) => String(i)), C, submit);
  await parallel(await tasksOf(submitted.splice(0)), C, complete);
  await measure('POST /cases', Array.from({ length: N }, (_, i) => String(i)), submit);
  const tasks = await tasksOf(submitted.splice(0));
  await measure('POST /tasks/:id/complete', tasks, complete);

  server.closeAllConnections();
  server.close();
  await db.close();
  dbChild.child.kill();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => { console.error(err); process.exit(1); });
