import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { createApp } from './app';
import { openDatabase, type Database } from './db/connection';
import { createServices, type Services } from './services/assemble';
import { generateDemoPassword, isEmpty, seedDemoAccounts, seedDemoTemplates } from './services/demo';
import { seedDemoProvincialTemplate } from './services/templates';
import { loadCity } from '@lianban/templates';
import { startScheduler, type Scheduler } from './services/scheduler';
import { runOnce } from './services/leases';
import { startStatsRollup, type StatsRollupFolder } from './services/stats-rollup';
import { requestEnded, requestStarted } from './services/background-gate';
import { dispatchNotifications, logProvider } from './services/notify';
import { documentsSettled } from './services/documents';
import { enqueueSmsBatch, sendDueSms } from './services/sms/outbox';
import { smsProviderFromConfig } from './services/sms/providers';
import { collectExchangeRecords } from './services/exchange/records';
import { sendDueExchange } from './services/exchange/sender';
import { loadCalendar, startCalendarSync, type CalendarSync } from './services/calendar';

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  /**
   * In demo mode: the demo accounts' password (as seeded, unless an administrator changed it):
   * LIANBAN_DEMO_PASSWORD, or the random one this start generated and seeded. Undefined when
   * neither (another start seeded with its own random password, printed then).
   */
  demoPassword?: string;
  /** Whether the server runs in demo mode. */
  demo?: boolean;
  /** Whether this start seeded the demo data into an empty database. */
  demoSeeded?: boolean;
  /** Stops the timers, lets requests in progress finish (at most `drainMs`, default 10 s), closes the database. */
  close(drainMs?: number): Promise<void>;
}

/** Opens the database, then listens. The returned `close` stops both. */
export async function startServer(config: Config): Promise<RunningServer> {
  const db = await openDatabase(config);
  let demoPassword: string | undefined;
  let demoSeeded = false;
  let demo = false;
  let scheduler: Scheduler | undefined;
  let statsFolder: StatsRollupFolder | undefined;
  let notifier: NodeJS.Timeout | undefined;
  let exchanger: NodeJS.Timeout | undefined;
  let calendarSync: CalendarSync | undefined;
  // Assembled once: the app and the scheduler share the models and their caches.
  let services: Services | undefined;
  if (db.connection) {
    services = createServices(db.connection);
    const { models } = services;
    scheduler = startScheduler(models, services.conn);
    // the statistics' rollups: one process of several folds the case changes every 2 s (docs/stats.md)
    statsFolder = startStatsRollup(models);
    const provider = logProvider();
    // SMS: each claimed notification of a kind with a template is queued, then sent under the per-number limit with retries
    const sms = smsProviderFromConfig(config.sms);
    const publicOrigin = config.publicOrigin ?? `http://localhost:${config.port || 3000}`;
    const smsLimits = { ...(config.sms?.minIntervalMs !== undefined && { minIntervalMs: config.sms.minIntervalMs }), ...(config.sms?.dailyMax !== undefined && { dailyMax: config.sms.dailyMax }) };
    let notifying = false;
    notifier = setInterval(() => {
      if (notifying) return;
      notifying = true;
      dispatchNotifications(models, provider, undefined, { onBatch: (ns) => enqueueSmsBatch(models, ns, { publicOrigin }) })
        .then(() => sendDueSms(models, sms, { sign: config.sms?.sign ?? '', limits: smsLimits }))
        .catch(() => {})
        .finally(() => { notifying = false; });
    }, 2000);
    notifier.unref();
    // 省级数据交换: the cases marked by their steps give their 办件信息 records, then the due ones are sent
    const exchange = config.exchange;
    if (exchange) {
      let exchanging = false;
      exchanger = setInterval(() => {
        if (exchanging) return;
        exchanging = true;
        collectExchangeRecords(models)
          .then(() => sendDueExchange(models, exchange))
          .catch(() => {})
          .finally(() => { exchanging = false; });
      }, 5000);
      exchanger.unref();
    }
    // Build indexes (unique usernames, TTL on sessions, …) before the first request.
    await Promise.all(Object.values(models).map((m) => m.init()));
    // the province's entered holidays (docs/deadlines.md): counted from the first request, refreshed every 30 s
    await loadCalendar(models);
    calendarSync = startCalendarSync(models);
    demo = config.demo ?? (db.mode === 'embedded-compatible' || db.mode === 'embedded-mongod');
    if (demo) {
      // No published default: without LIANBAN_DEMO_PASSWORD the seed gets a random one (printed by main.ts).
      const password = config.demoPassword ?? generateDemoPassword();
      // Several processes may start at once on one new database: one seeds, the others wait for it.
      demoSeeded = (await runOnce(models, 'demo-seed', async (recovering) => {
        if (!recovering && !(await isEmpty(models))) return false;
        await seedDemoAccounts(models, password);
        await seedDemoTemplates(models);
        await seedDemoProvincialTemplate(models, loadCity('luan'));
        return true;
      })) ?? false;
      demoPassword = config.demoPassword ?? (demoSeeded ? password : undefined);
    }
  }
  const app = createApp({ config, db, services });
  const server = http.createServer();
  // Answers in progress: when draining, each closes its connection after it (the proxy then
  // opens its next one to another process).
  const inProgress = new Set<http.ServerResponse>();
  let draining = false;
  const closeAfter = (res: http.ServerResponse) => { if (!res.headersSent) res.setHeader('Connection', 'close'); };
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (draining) closeAfter(res);
    inProgress.add(res);
    requestStarted();
    res.on('close', () => { inProgress.delete(res); requestEnded(); });
  });
  server.on('request', app.callback());
  // Keep-alive longer than typical proxies' so nginx never reuses a socket we just closed.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    db,
    demo,
    demoPassword,
    demoSeeded,
    async close(drainMs = 10_000) {
      const schedulerStopped = scheduler?.stop();
      const foldStopped = statsFolder?.stop();
      clearInterval(notifier);
      clearInterval(exchanger);
      calendarSync?.stop();
      // Graceful: stop accepting, let the requests in progress finish (up to drainMs), closing
      // each connection as it falls idle; then cut what is left.
      draining = true;
      inProgress.forEach(closeAfter);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, drainMs).unref());
      await Promise.race([closed, deadline]);
      clearInterval(idle);
      server.closeAllConnections();
      await closed;
      // a timer being fired finishes its transaction before the database goes
      await schedulerStopped;
      await foldStopped;
      // documents being issued in the background get a few seconds (what is left is issued at the next read)
      await Promise.race([documentsSettled(), new Promise<void>((resolve) => setTimeout(resolve, 5000).unref())]);
      await db.close();
    },
  };
}
