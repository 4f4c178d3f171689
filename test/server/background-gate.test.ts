/**
 * Background work goes between requests (services/background-gate.ts, #24): the statistics
 * folder, the notification dispatcher, the SMS sender and the scheduler await `betweenRequests()`
 * before each round trip or batch. It resolves at once in a process answering nothing, waits while
 * a request of the real server is in progress (here: one whose body is still arriving), and goes
 * on when it is answered — or after its longest wait, so a busy process never stops the jobs.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { betweenRequests, configFromEnv, requestsInFlight, startServer, type RunningServer } from '@lianban/server';

describe('background work between requests', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-gate-'));
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1', dataDir, webRoot: '/nonexistent', demo: false });
  }, 60_000);
  afterAll(async () => {
    await server?.close(1000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A sign-in whose body arrives in two parts: in progress until `finish()`. */
  const slowRequest = () => {
    let finish!: () => void;
    const answered = new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.write('{"username":"nobody",');
      finish = () => req.end('"password":"wrong-password"}');
    });
    return { answered, finish: () => finish() };
  };
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(cond()).toBe(true);
  };

  it('opens at once when no request is in progress', async () => {
    expect(requestsInFlight()).toBe(0);
    let open = false;
    const gate = betweenRequests(10_000).then(() => { open = true; });
    await Promise.resolve();
    await gate;
    expect(open).toBe(true);
  });

  it('waits while a request is in progress and opens when it is answered', async () => {
    const slow = slowRequest();
    await until(() => requestsInFlight() === 1);
    let open = false;
    const gate = betweenRequests(10_000).then(() => { open = true; });
    await new Promise((r) => setTimeout(r, 200));
    expect(open).toBe(false);
    slow.finish();
    expect(await slow.answered).toBe(401);
    await gate;
    expect(open).toBe(true);
    expect(requestsInFlight()).toBe(0);
  });

  it('opens after its longest wait however long the request takes', async () => {
    const slow = slowRequest();
    await until(() => requestsInFlight() === 1);
    const t = performance.now();
    await betweenRequests(100);
    const waited = performance.now() - t;
    expect(waited).toBeGreaterThanOrEqual(95);
    expect(requestsInFlight()).toBe(1);
    slow.finish();
    expect(await slow.answered).toBe(401);
  });
});
