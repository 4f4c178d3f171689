/**
 * `npx tsx bench/background-stalls.ts [cases=200]` (#24, latency): how long each of the server's
 * background jobs blocks an event loop when it has the work of 2 s at 100 req/s to do — the
 * stats rollup fold, the notification dispatcher (with the SMS outbox), the sweep of pending side
 * documents, the scheduler's tick — run one at a time, with nothing else running. The app runs in
 * this process (as `npm start` assembles it, without its timers), the embedded database in its own
 * (`npm run db`). For each job: wall time, this process's longest event-loop delay during it
 * (`monitorEventLoopDelay`, 1-ms resolution) and the database's (`serverStatus.lianban.eventLoop`,
 * 10-ms resolution), and the database commands it sent (driver command monitoring; per notification
 * for the dispatcher). A request arriving during a stall waits for it: at 100 req/s a 30-ms stall
 * every 2 s delays 1–2 % of the requests by up to 30 ms — the p99.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { configFromEnv, createApp, createServices, dispatchNotifications, enqueueSmsBatch, foldStats, logProvider, openDatabase, seedDemoAccounts, seedDemoTemplates, sweepPending } from '@lianban/server';
import { startDbChild } from '@lianban/test/server/child-server';
import { apiSession } from './api-session';

const N = Number(process.argv[2] ?? 200);
const PASSWORD = 'Bench-Passw0rd!';

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-background-'));
  const dbChild = await startDbChild(path.join(dir, 'db'));
  const admin = await mongoose.createConnection(dbChild.uri, { maxPoolSize: 1 }).asPromise();
  const dbLoop = async () => ((await admin.db!.admin().command({ serverStatus: 1 })).lianban as { eventLoop: { maxMs: number } }).eventLoop.maxMs;
  const config = { ...configFromEnv({ MONGODB_URI: dbChild.uri }), dataDir: path.join(dir, 'data'), webRoot: '/nonexistent' };
  const db = await openDatabase(config);
  if (!db.connection) throw new Error(`database unavailable: ${db.problem}`);
  const services = createServices(db.connection);
  const { models } = services;
  await Promise.all(Object.values(models).map((m) => m.init()));
  await seedDemoAccounts(models, PASSWORD);
  await seedDemoTemplates(models);
  const server = createServer(createApp({ config, db, services }).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const { applicant, hrss, body, post } = await apiSession(url, PASSWORD);
  const parallel = async (n: number, k: number, fn: (i: number) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(Array.from({ length: k }, async () => { while (next < n) await fn(next++); }));
  };

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let commands = 0;
  db.connection.getClient().on('commandStarted', () => { commands++; });
  const job = async (name: string, fn: () => Promise<unknown>, per?: { what: string; n: number }) => {
    await new Promise((r) => setTimeout(r, 300));
    await dbLoop();
    loop.reset();
    commands = 0;
    const t0 = performance.now();
    const result = await fn();
    const ms = performance.now() - t0;
    const sent = commands;
    const serverMax = loop.max / 1e6;
    const perNote = per?.n ? `, ${(sent / per.n).toFixed(2)} per ${per.what} (${per.n})` : '';
    console.log(`${name}: ${ms.toFixed(0)} ms; longest event-loop delay: server ${serverMax.toFixed(1)} ms, database ${(await dbLoop()).toFixed(1)} ms; ${sent} commands${perNote}${result === undefined ? '' : ` (${JSON.stringify(result)})`}`);
  };

  // a first fold of the seeded cities (backfill), not reported
  await foldStats(models);
  for (let round = 1; round <= 2; round++) {
    console.log(`— round ${round}: ${N} submissions and ${N} completions to work off`);
    const nos: string[] = [];
    await parallel(N, 8, async () => { nos.push((await post(applicant, '/cases', body)).no!); });
    const tasks = await Promise.all(nos.map(async (no) => {
      const res = await fetch(`${url}/tasks?q=${encodeURIComponent(no)}`, { headers: { cookie: hrss } });
      return ((await res.json()) as { id: string; state: string; outcomes: string[] }[]).find((t) => t.state === 'open' && t.outcomes.includes('approved'))!.id;
    }));
    await parallel(tasks.length, 8, (i) => post(hrss, `/tasks/${tasks[i]}/complete`, JSON.stringify({ outcome: 'approved' })));
    await job('stats rollup fold (foldStats)', () => foldStats(models));
    // as server.ts runs it: the SMS outbox's enqueue for each batch (the demo's templates have no code: each SMS is recorded as dropped)
    const unsent = await models.Notification.countDocuments({ sentAt: null });
    await job('notification dispatcher (dispatchNotifications + enqueueSmsBatch, log provider)', () => dispatchNotifications(models, logProvider(() => {}), undefined, { onBatch: (ns) => enqueueSmsBatch(models, ns, { publicOrigin: 'http://localhost' }) }), { what: 'notification', n: unsent });
    await job('sweep of pending side documents (sweepPending)', () => sweepPending(models, Date.now() + 60_000));
  }

  loop.disable();
  server.closeAllConnections();
  server.close();
  await db.close();
  await admin.close();
  dbChild.child.kill();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => { console.error(err); process.exit(1); });
