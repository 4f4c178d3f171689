/**
 * A test server: the real app over a real database from the same cascade production uses
 * (MONGODB_URI when set, else the embedded database in a temporary directory).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { configFromEnv, createApp, createServices, documentsSettled, openDatabase, seedDemoAccounts, type Config, type Database, type Models } from '@lianban/server';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

export const DEMO_PASSWORD = 'Test-Passw0rd!';

export interface TestServer {
  db: Database;
  models: Models;
  http: ReturnType<ReturnType<typeof createApp>['callback']>;
  agent(): ReturnType<typeof request.agent>;
  login(username: string, password?: string): Promise<ReturnType<typeof request.agent>>;
  close(): Promise<void>;
}

/** `config` overrides the configuration (e.g. small quotas). */
export async function startTestServer(opts: { seed?: boolean; config?: Partial<Config> } = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-test-'));
  const env = process.env.MONGODB_URI ? { MONGODB_URI: withDatabase(process.env.MONGODB_URI, `lianban_test_${process.pid}_${Date.now()}`) } : {};
  const config = { ...configFromEnv(env), dataDir, webRoot: '/nonexistent', ...opts.config };
  const db = await openDatabase(config);
  if (!db.connection) throw new Error(`test database unavailable: ${db.problem}`);
  // Assembled once, as startServer does: the app and the test's own calls (e.g. a scheduler) share the caches.
  const services = createServices(db.connection);
  const { models } = services;
  await Promise.all(Object.values(models).map((m) => m.init()));
  if (opts.seed !== false) await seedDemoAccounts(models, DEMO_PASSWORD);
  const http = createApp({ config, db, services }).callback();
  // One listening server for the whole file: supertest would otherwise open one per request.
  const server = createServer(http);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    models,
    http,
    agent: () => request.agent(url),
    async login(username, password = DEMO_PASSWORD) {
      const agent = request.agent(url);
      const res = await agent.post('/api/v1/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return agent;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await documentsSettled(); // documents being issued in the background finish before the database goes
      if (process.env.MONGODB_URI) await db.connection!.dropDatabase();
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The same server URI with another database name (each test file gets its own database). */
function withDatabase(uri: string, name: string): string {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Publishes the small test matter (approval → housing fund when ticked) for 六安. */
export async function publishMini(s: TestServer, flowXml = fixture('mini.bpmn')): Promise<number> {
  const admin = await s.login('luan.admin');
  await admin.put('/api/v1/admin/forms/mini-form').send({ title: '小申请表', schema: JSON.parse(fixture('mini-form.json')) }).expect(200);
  await admin.put('/api/v1/admin/flows/mini-flow').send({ title: '小流程', xml: flowXml }).expect(200);
  await admin.put('/api/v1/admin/matters/mini').send({
    title: '小事项', forms: [{ key: 'mini-form' }], flow: 'mini-flow',
    linkedItems: [
      { key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true },
      { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund' },
    ],
  }).expect(200);
  const res = await admin.post('/api/v1/admin/matters/mini/publish').expect(200);
  return res.body.version;
}

