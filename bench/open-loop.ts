/**
 * Open-loop load (#24): requests sent at a fixed arrival rate, each at its scheduled time whether
 * or not the earlier ones have been answered — as users arrive — and each latency measured from
 * the time the request was *scheduled*, not from when it was actually sent.
 *
 * Why not autocannon: autocannon is a closed loop — N connections, each sending its next request
 * when the last one is answered. Its latency is then only the queue length over the throughput
 * (Little's law: latency = N ÷ rate), fixed by the choice of N rather than by the server; and a
 * server that stalls is sent less, so the stall shows in one sample instead of in every request
 * that should have arrived meanwhile ("coordinated omission"). Here a stall delays every request
 * scheduled during it, and the percentiles show it.
 *
 * One keep-alive agent without a socket limit: a request that finds every connection busy opens
 * another, so the sender never waits for the server. A request not answered within `drainSeconds`
 * after the last send counts as unanswered with the latency it had by then (a lower bound; the
 * round then says so), so a server that cannot keep up yields a large p99, not a missing one.
 */
import fs from 'node:fs';
import http from 'node:http';

/** A request slower than this (ms) is listed in a round's `slow`: the #24 target. */
export const SLOW_MS = 50;

export interface OpenLoopOptions {
  /** The server's origin, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Requests per second. */
  rate: number;
  seconds: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The path of the i-th request (e.g. the i-th task of a pool). */
  path: (i: number) => string;
  /** Sees every answer (status and body). */
  onAnswer?: (status: number, body: string) => void;
  /** After the last scheduled send, how long to wait for the answers still out (default 30 s). */
  drainSeconds?: number;
  /** Requests slower than this (ms) are listed in the result's `slow` (default 50: the #24 target). */
  slowMs?: number;
}

export interface OpenLoopResult {
  rate: number;
  /** Requests scheduled (= sent). */
  sent: number;
  /** 2xx answers. */
  ok: number;
  /** Non-2xx answers by status. */
  failures: Record<string, number>;
  /** Connection errors. */
  errors: number;
  /** Not answered by the end of the drain (their latency is a lower bound). */
  unanswered: number;
  /** Latency from the scheduled send to the answer, ms, over every request (errors and unanswered too). */
  p50: number;
  p99: number;
  max: number;
  /** The latest a request was actually sent after its scheduled time, ms: the sender's own lag (should be a few ms). */
  sendLag: number;
  /** Seconds from the first scheduled send to the last answer (or the end of the drain). */
  seconds: number;
  /** The requests slower than `slowMs`: scheduled send (epoch ms) and latency (ms). */
  slow: { at: number; ms: number }[];
  /** The first request's scheduled send (epoch ms). */
  startedAt: number;
}

/** The `q`-quantile (0…1) of sorted `xs`, nearest rank. */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  return xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(q * xs.length) - 1))]!;
}

export function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const total = Math.round(o.rate * o.seconds);
  const interval = 1000 / o.rate;
  const drainMs = (o.drainSeconds ?? 30) * 1000;
  const target = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const latencies: number[] = new Array(total).fill(NaN);
  const failures: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let done = 0;
  let sendLag = 0;
  let lastAnswer = 0;
  const body = o.body === undefined ? undefined : Buffer.from(o.body);
  const headers = { ...o.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
  const requests = new Set<http.ClientRequest>();

  return new Promise((resolve) => {
    const t0 = performance.now() + 20;
    let next = 0;
    let drainTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(drainTimer);
      const end = performance.now();
      // still out: censored at the latency they had reached
      let unanswered = 0;
      for (let i = 0; i < total; i++) {
        if (Number.isNaN(latencies[i]!)) {
          unanswered++;
          latencies[i] = end - (t0 + i * interval);
        }
      }
      for (const r of requests) r.destroy();
      agent.destroy();
      // LIANBAN_OPEN_LOOP_TRACE=<prefix>: each round's latencies by scheduled send, for `bench/open-loop-episodes.ts`
      const trace = process.env.LIANBAN_OPEN_LOOP_TRACE;
      if (trace) fs.writeFileSync(`${trace}-${Date.now()}.json`, JSON.stringify({ t0: performance.timeOrigin + t0, interval, latencies }));
      const sorted = [...latencies].sort((a, b) => a - b);
      const slowMs = o.slowMs ?? SLOW_MS;
      const slow = latencies.flatMap((ms, i) => (ms > slowMs ? [{ at: performance.timeOrigin + t0 + i * interval, ms }] : []));
      resolve({
        rate: o.rate, sent: total, ok, failures, errors, unanswered,
        p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN,
        sendLag, seconds: ((unanswered ? end : lastAnswer) - t0) / 1000, slow, startedAt: performance.timeOrigin + t0,
      });
    };
    const answered = (i: number, scheduled: number) => {
      const now = performance.now();
      latencies[i] = now - scheduled;
      lastAnswer = now;
      if (++done === total) finish();
    };
    const send = (i: number) => {
      const scheduled = t0 + i * interval;
      sendLag = Math.max(sendLag, performance.now() - scheduled);
      const req = http.request({ host: target.hostname, port: target.port, method: o.method, path: o.path(i), headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          requests.delete(req);
          if (settled) return;
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) ok++;
          else failures[status] = (failures[status] ?? 0) + 1;
          try {
            o.onAnswer?.(status, Buffer.concat(chunks).toString());
          } catch {
            // the caller's bookkeeping must not stop the round; the answer is counted
          }
          answered(i, scheduled);
        });
      });
      req.on('error', () => {
        requests.delete(req);
        if (settled) return;
        errors++;
        answered(i, scheduled);
      });
      requests.add(req);
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      // every request whose time has come, even if the timer fired late
      while (next < total && t0 + next * interval <= now) send(next++);
      if (next < total) setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
      else drainTimer = setTimeout(finish, drainMs);
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
}

/** One line about an open-loop round, for notes and errors. */
export function describeOpenLoop(r: OpenLoopResult): string {
  const failed = Object.entries(r.failures).map(([code, n]) => `${n}× ${code}`).join(', ');
  return `${r.sent} sent at ${r.rate}/s, ${r.ok} answered 2xx in ${r.seconds.toFixed(1)} s${failed ? `, failed: ${failed}` : ''}${r.errors ? `, ${r.errors} connection errors` : ''}${r.unanswered ? `, ${r.unanswered} unanswered (latency a lower bound)` : ''}; p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(0)} ms; sender lag ≤ ${r.sendLag.toFixed(1)} ms`;
}
