import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { createApp } from './app';
import { openDatabase, type Database } from './db/connection';
import { createModels } from './models';
import { DEFAULT_DEMO_PASSWORD, isEmpty, seedDemoAccounts, seedDemoTemplates } from './services/demo';
import { startScheduler, type Scheduler } from './services/scheduler';
import { runOnce } from './services/leases';
import { dispatchNotifications, logProvider } from './services/notify';

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  /** In demo mode: the demo accounts' password (as seeded, unless an administrator changed it). */
  demoPassword?: string;
  /** Whether this start seeded the demo data into an empty database. */
  demoSeeded?: boolean;
  close(): Promise<void>;
}

/** Opens the database, then listens. The returned `close` stops both. */
export async function startServer(config: Config): Promise<RunningServer> {
  const db = await openDatabase(config);
  let demoPassword: string | undefined;
  let demoSeeded = false;
  let scheduler: Scheduler | undefined;
  let notifier: NodeJS.Timeout | undefined;
  if (db.connection) {
    const models = createModels(db.connection);
    scheduler = startScheduler(models, db.connection);
    const provider = logProvider();
    notifier = setInterval(() => { dispatchNotifications(models, provider).catch(() => {}); }, 2000);
    notifier.unref();
    // Build indexes (unique usernames, TTL on sessions, …) before the first request.
    await Promise.all(Object.values(models).map((m) => m.init()));
    const demo = config.demo ?? (db.mode === 'embedded-compatible' || db.mode === 'embedded-mongod');
    if (demo) demoPassword = config.demoPassword ?? DEFAULT_DEMO_PASSWORD;
    if (demo) {
      // Several processes may start at once on one new database: one seeds, the others wait for it.
      demoSeeded = (await runOnce(models, 'demo-seed', async (recovering) => {
        if (!recovering && !(await isEmpty(models))) return false;
        await seedDemoAccounts(models, demoPassword!);
        await seedDemoTemplates(models);
        return true;
      })) ?? false;
    }
  }
  const app = createApp({ config, db });
  app.on('error', (err) => console.error('[lianban] request failed:', err));
  const server = http.createServer(app.callback());
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
    demoPassword,
    demoSeeded,
    async close() {
      scheduler?.stop();
      clearInterval(notifier);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
