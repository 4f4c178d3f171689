/**
 * The load rounds of the HTTP benchmarks (bench/load.ts): a round ends when its duration or its
 * pool is spent, never sends past its pool, and reports the rate over the answers actually
 * made; the pools follow the measured rate, so a much faster server spends pools (ends rounds
 * early) but never runs out. The rounds run against a fake in-memory server and a bare
 * node:http one (each task completable once, like `POST /tasks/:id/complete`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line import-x/no-relative-packages -- bench/ is not a workspace package: tested by path
import { pooledRounds, poolSize, round, type Round } from '../../bench/load';

const policy = { margin: 2, floor: 100, ceiling: 4000 };

describe('poolSize', () => {
  it('is rate × seconds × margin + connections, within floor and ceiling', () => {
    expect(poolSize(150, 2, 20, policy)).toBe(620);
    expect(poolSize(10, 2, 20, policy)).toBe(100);
    expect(poolSize(5000, 2, 20, policy)).toBe(4000);
    expect(poolSize(0, 2, 20, policy)).toBe(100);
    expect(poolSize(Number.NaN, 2, 20, policy)).toBe(100);
  });
});

describe('pooledRounds', () => {
  /** A fake server answering `rate` per second: a round takes what its pool and duration allow. */
  function fake(rate: number) {
    let stock = Array.from({ length: 20_000 }, (_, i) => `t${i}`);
    const completed = new Set<string>();
    const taken: number[] = [];
    return {
      completed, taken,
      take: async (n: number) => { taken.push(n); const out = stock.slice(0, n); stock = stock.slice(n); return out; },
      giveBack: (items: string[]) => { stock = [...items, ...stock]; },
      run: async (pool: string[], seconds: number): Promise<Round> => {
        const ok = Math.min(pool.length, Math.floor(rate * seconds));
        for (const id of pool.slice(0, ok)) {
          if (completed.has(id)) throw new Error(`${id} sent twice`);
          completed.add(id);
        }
        const took = ok / rate;
        return { ok, failures: {}, errors: 0, seconds: took, rate: ok / took, spent: ok === pool.length, used: ok, p50: 1, p99: 2 };
      },
    };
  }

  it('sizes each pool from the rate measured before it, and gives unsent tasks back', async () => {
    const f = fake(150);
    const r = await pooledRounds({ what: 'completions', rounds: 3, seconds: 2, connections: 20, warmup: { seconds: 1, pool: 200 }, policy, take: f.take, giveBack: f.giveBack, run: f.run });
    expect(r.pools).toEqual([620, 620, 620]);
    expect(r.rounds.map((x) => [x.ok, x.spent, x.rate])).toEqual([[300, false, 150], [300, false, 150], [300, false, 150]]);
    expect(f.completed.size).toBe(150 + 900);
  });

  it('at ten times the rate, rounds may end with their pool but none runs out or fails', async () => {
    const f = fake(1500);
    const r = await pooledRounds({ what: 'completions', rounds: 3, seconds: 2, connections: 20, warmup: { seconds: 1, pool: 200 }, policy, take: f.take, giveBack: f.giveBack, run: f.run });
    // the warm-up spent its 200 at 1500/s; the pools grow to the ceiling
    expect(r.warmup).toMatchObject({ ok: 200, spent: true, rate: 1500 });
    expect(r.pools).toEqual([4000, 4000, 4000]);
    expect(r.rounds.every((x) => x.ok === 3000 && x.rate === 1500)).toBe(true);
  });

  it('fails when a round is answered with errors, saying how', async () => {
    const f = fake(100);
    await expect(pooledRounds({
      what: 'completions', rounds: 3, seconds: 2, connections: 20, warmup: { seconds: 1, pool: 200 }, policy, take: f.take, giveBack: f.giveBack,
      run: async (pool, seconds) => ({ ...(await f.run(pool, seconds)), failures: { 404: 3 } }),
    })).rejects.toThrow(/completions, warm-up: 100 in 1\.00 s, failed: 3× 404/);
  });
});

describe('round (autocannon against a bare node:http server)', () => {
  const done = new Set<string>();
  let twice = 0;
  let delayMs = 0;
  let url = '';
  const server = http.createServer((req, res) => {
    req.resume();
    const m = /^\/tasks\/([^/]+)\/complete$/.exec(req.url ?? '');
    const answer = () => {
      if (!m) return res.writeHead(404).end();
      if (done.has(m[1]!)) {
        twice++;
        return res.writeHead(409).end();
      }
      done.add(m[1]!);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"state":"done"}');
    };
    if (delayMs) setTimeout(answer, delayMs);
    else answer();
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const opts = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{}', path: (id: string) => `/tasks/${id}/complete` };

  it('ends when its pool is spent, each task sent once, the rate over the answers made', async () => {
    delayMs = 0;
    const pool = ids('a', 400);
    const r = await round({ ...opts, url, connections: 10, seconds: 10, pool });
    expect(r).toMatchObject({ ok: 400, failures: {}, spent: true, used: 400 });
    expect(r.seconds).toBeLessThan(10);
    expect(r.rate).toBeCloseTo(400 / r.seconds, 6);
    expect(twice).toBe(0);
    expect(pool.every((id) => done.has(id))).toBe(true);
  });

  it('ends after its duration with the pool not spent, leaving the unsent tasks fresh', async () => {
    delayMs = 20;
    const pool = ids('b', 5000);
    const r = await round({ ...opts, url, connections: 4, seconds: 0.5, pool });
    expect(r.spent).toBe(false);
    expect(Object.keys(r.failures)).toEqual([]);
    expect(r.ok).toBeGreaterThan(0);
    expect(r.used).toBeLessThan(pool.length);
    expect(r.seconds).toBeGreaterThanOrEqual(0.5);
    expect(r.p99).not.toBeNull();
    // nothing past what was handed out was sent
    expect(pool.slice(r.used).some((id) => done.has(id))).toBe(false);
    expect(twice).toBe(0);
  });

  it('on a server slower than the round, goes on until each connection has had an answer (minAnswers)', async () => {
    delayMs = 300;
    const r = await round({ ...opts, url, connections: 3, seconds: 0.1, minAnswers: 3, pool: ids('d', 50) });
    expect(r.ok).toBeGreaterThanOrEqual(3);
    expect(r.seconds).toBeGreaterThanOrEqual(0.3);
    expect(r.rate).toBeCloseTo(r.ok / r.seconds, 6);
    expect(r.p50).toBeGreaterThanOrEqual(300);
  });

  it('a round with fewer tasks than connections uses one connection per task', async () => {
    delayMs = 0;
    const r = await round({ ...opts, url, connections: 20, seconds: 5, pool: ids('c', 3) });
    expect(r).toMatchObject({ ok: 3, spent: true, used: 3, failures: {} });
    expect(twice).toBe(0);
  });
});
