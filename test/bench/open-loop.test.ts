/**
 * The open-loop load of the HTTP benchmarks (bench/open-loop.ts, #24): requests leave on schedule
 * whatever the server does, and latency counts from the scheduled time — so a server slower than
 * the arrival rate shows a growing queue in its p99 (no coordinated omission), and the probe's
 * CPU figures parse /proc and the server's metrics. Against bare node:http servers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
// eslint-disable-next-line import-x/no-relative-packages -- bench/ is not a workspace package: tested by path
import { openLoop, quantile } from '../../bench/open-loop';
// eslint-disable-next-line import-x/no-relative-packages -- bench/ is not a workspace package: tested by path
import { openLoopInChild } from '../../bench/open-loop-child';
// eslint-disable-next-line import-x/no-relative-packages -- bench/ is not a workspace package: tested by path
import { cpuMs, perRequest, type Window } from '../../bench/probe';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server answering each request after `ms`; `serial`: one at a time (a queue), else all at once. */
async function server(ms: number, serial: boolean, status = 200): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  let busyUntil = 0;
  const s = http.createServer((req, res) => {
    paths.push(req.url!);
    req.resume();
    const now = performance.now();
    const done = serial ? Math.max(now, busyUntil) + ms : now + ms;
    busyUntil = done;
    setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}'), done - now);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, paths };
}

describe('openLoop', () => {
  it('sends every request on schedule and measures a server that keeps up', async () => {
    const s = await server(20, false);
    const t0 = performance.now();
    const r = await openLoop({ url: s.url, rate: 100, seconds: 1, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', path: (i) => `/item/${i}` });
    expect(r.sent).toBe(100);
    expect(r.ok).toBe(100);
    expect(r.unanswered).toBe(0);
    // each item once (on several connections: in about their order)
    expect([...s.paths].sort()).toEqual(Array.from({ length: 100 }, (_, i) => `/item/${i}`).sort());
    // the whole second was used to send them: not a burst
    expect(performance.now() - t0).toBeGreaterThan(950);
    expect(r.p50).toBeGreaterThanOrEqual(19);
    expect(r.p50).toBeLessThan(200);
  });

  it('counts the queue of a server slower than the arrival rate in the latency (no coordinated omission)', async () => {
    // 20 ms each, one at a time: 50/s against 100 arriving per second — the last of 100 waits ~1 s
    const s = await server(20, true);
    const r = await openLoop({ url: s.url, rate: 100, seconds: 1, method: 'GET', headers: {}, path: () => '/' });
    expect(r.ok).toBe(100);
    // a closed loop with one connection would say 20 ms for every request
    expect(r.p99).toBeGreaterThan(800);
    expect(r.p50).toBeGreaterThan(300);
  });

  it('reports requests not answered within the drain as unanswered, with their latency so far', async () => {
    const s = await server(5_000, false);
    const r = await openLoop({ url: s.url, rate: 50, seconds: 0.2, drainSeconds: 0.5, method: 'GET', headers: {}, path: () => '/' });
    expect(r.sent).toBe(10);
    expect(r.ok).toBe(0);
    expect(r.unanswered).toBe(10);
    expect(r.p99).toBeGreaterThanOrEqual(500);
  });

  it('counts error statuses as failures', async () => {
    const s = await server(1, false, 409);
    const r = await openLoop({ url: s.url, rate: 50, seconds: 0.2, method: 'GET', headers: {}, path: () => '/' });
    expect(r.failures).toEqual({ 409: 10 });
    expect(r.ok).toBe(0);
  });

  it('runs in a process of its own: every path sent, the slow requests listed, a field of the answers collected', async () => {
    const fast = await server(2, false, 201);
    let pid = 0;
    const { result, collected } = await openLoopInChild({ url: fast.url, rate: 50, seconds: 0.4, method: 'POST', headers: {}, body: '{}', paths: Array.from({ length: 20 }, (_, i) => `/t/${i}`), collect: { status: 201, field: 'ok' } }, (p) => { pid = p; });
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect(result).toMatchObject({ sent: 20, ok: 20, errors: 0, unanswered: 0, slow: [] });
    expect(fast.paths).toEqual(Array.from({ length: 20 }, (_, i) => `/t/${i}`));
    expect(collected).toEqual(Array(20).fill(true));
    // a server 80 ms slow: every request is listed as slow, with its scheduled time on the wall clock
    const slow = await server(80, false);
    const before = Date.now();
    const r = (await openLoopInChild({ url: slow.url, rate: 50, seconds: 0.2, method: 'GET', headers: {}, paths: ['/same'] })).result;
    expect(slow.paths).toEqual(Array(10).fill('/same'));
    expect(r.slow).toHaveLength(10);
    for (const x of r.slow) {
      expect(x.ms).toBeGreaterThan(50);
      expect(x.at).toBeGreaterThan(before - 1000);
      expect(x.at).toBeLessThan(Date.now());
    }
  });

  it('quantile is the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(xs, 0.5)).toBe(50);
    expect(quantile(xs, 0.99)).toBe(99);
    expect(quantile([7], 0.99)).toBe(7);
  });
});

describe('probe', () => {
  it('reads the CPU time of a process as Node counts it (to a few clock ticks)', () => {
    const before = cpuMs(process.pid);
    const usage = process.cpuUsage();
    let x = 0;
    // 200 ms of CPU, however long that takes on a busy machine
    while ((process.cpuUsage(usage).user + process.cpuUsage(usage).system) / 1000 < 200) x += Math.sqrt(x + 1);
    const node = (process.cpuUsage(usage).user + process.cpuUsage(usage).system) / 1000;
    const proc = cpuMs(process.pid) - before;
    expect(x).toBeGreaterThan(0);
    // other threads (GC, vitest's own) may add a little; a tick is 10 ms
    expect(proc).toBeGreaterThanOrEqual(node - 30);
    expect(proc).toBeLessThan(node + 150);
  });

  it('divides a window by the answers of one route and subtracts the quiet background', () => {
    const w: Window = { seconds: 2, serverCpuMs: 1050, dbCpuMs: 620, commands: { find: 420, insert: 200 }, requests: { 'POST /cases 201': 100, 'POST /cases 422': 3, 'GET /metrics 200': 1 } };
    const fixed: Window = { seconds: 0, serverCpuMs: 20, dbCpuMs: 0, commands: { find: 2 }, requests: {} };
    const long: Window = { seconds: 1, serverCpuMs: 30, dbCpuMs: 10, commands: { find: 3 }, requests: {} };
    const c = perRequest(w, 'POST /cases 2', { fixed, long });
    expect(c.requests).toBe(100);
    // background over 2 s: 20 + 10 × 2 ms of server CPU, 20 ms of database CPU, 2 + 1 × 2 finds
    expect(c.serverCpuMs).toBeCloseTo(10.1);
    expect(c.dbCpuMs).toBeCloseTo(6);
    expect(c.commands).toBeCloseTo(6.16);
    expect(c.byCommand).toEqual({ find: 4.16, insert: 2 });
  });
});
