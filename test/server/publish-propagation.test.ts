/**
 * A publish is used by new cases on every process within a second (docs/production.md): two
 * apps on one database, each with its own connection and so its own caches, as two server
 * processes would be. The publishing one uses the new version at once; the other within the
 * latest-version cache's 500 ms.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '@lianban/server';
import { DEMO_PASSWORD, publishMini, startTestServer, type TestServer } from './helpers';

describe('publish propagation between processes', () => {
  let s: TestServer;
  let other: { server: Server; url: string; conn: mongoose.Connection };
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    // a second "process": its own connection to the same database, its own caches
    const conn = await mongoose.createConnection(s.db.uri ?? process.env.MONGODB_URI!, { dbName: s.db.connection!.name }).asPromise();
    const app = createApp({ config: { ...configFromEnv({}), webRoot: '/nonexistent' }, db: { mode: s.db.mode, connection: conn, close: () => conn.close() } });
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    other = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, conn };
  });
  afterAll(async () => {
    other?.server.closeAllConnections();
    await new Promise((r) => other?.server.close(r));
    await other?.conn.close();
    await s?.close();
  });

  it('should start new cases on the new version at once on the publisher and within a second elsewhere', async () => {
    const body = { matter: 'mini', form: 'mini-form', data: { name: '周九', idNumber: '341502196501150039' } };
    const here = await s.login('luan.applicant');
    const there = request.agent(other.url);
    await there.post('/api/v1/auth/login').send({ username: 'luan.applicant', password: DEMO_PASSWORD }).expect(200);
    const version = async (agent: typeof here, id: string) => (await agent.get(`/api/v1/cases/${id}`).expect(200)).body.version as number;
    // both processes have version 1 in their caches
    expect(await version(here, (await here.post('/api/v1/cases').send(body).expect(201)).body.id)).toBe(1);
    expect(await version(there, (await there.post('/api/v1/cases').send(body).expect(201)).body.id)).toBe(1);
    // when the administrator publishes version 2 through the first process
    const admin = await s.login('luan.admin');
    await admin.post('/api/v1/admin/matters/mini/publish').expect(200, { version: 2 });
    const published = performance.now();
    // then the first process uses it for the very next case
    expect(await version(here, (await here.post('/api/v1/cases').send(body).expect(201)).body.id)).toBe(2);
    // and the other process within a second
    let seenAfter = Infinity;
    while (performance.now() - published < 2000) {
      const sent = performance.now();
      const id = (await there.post('/api/v1/cases').send(body).expect(201)).body.id;
      if ((await version(there, id)) === 2) { seenAfter = sent - published; break; }
    }
    expect(seenAfter).toBeLessThanOrEqual(1000);
  });
});
