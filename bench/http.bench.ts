/**
 * The HTTP stack's fixed cost: `GET /api/v1/health` through the full Koa app (error mapping,
 * security headers, body parser, router) vs a bare Node `http` server answering the same JSON.
 * autocannon on loopback, in this process (both sides share the same handicap).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { configFromEnv, startServer } from '@lianban/server';
import { compare, repeat, type Benchmark } from './lib';

async function reqPerSec(url: string): Promise<number> {
  const result = await autocannon({ url, connections: 20, duration: 2 });
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

const bench: Benchmark = {
  name: 'HTTP stack',
  async run() {
    const server = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1' });
    const body = JSON.stringify({ status: 'ok', db: { mode: 'embedded-compatible', available: true } });
    const bare = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/v1/health`;
    try {
      await reqPerSec(`${server.url}/api/v1/health`); // warm up
      const ours: number[] = [];
      const base: number[] = [];
      await repeat(3, async () => {
        ours.push(await reqPerSec(`${server.url}/api/v1/health`));
        base.push(await reqPerSec(bareUrl));
        return 0;
      });
      return [compare({
        name: 'GET /health req/s (Koa app vs bare node:http)',
        unit: 'req/s',
        samples: ours,
        baselineSamples: base,
        baselineName: 'bare node:http',
        target: { on: 'ratio', op: '>=', value: 0.3 },
        note: 'autocannon, 20 connections, 2 s × 3, same process',
      })];
    } finally {
      await server.close();
      await new Promise((r) => bare.close(r));
    }
  },
};
export default bench;
