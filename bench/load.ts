/**
 * Load rounds for the HTTP benchmarks, driven by autocannon.
 *
 * A round is bound by its duration or, for one-shot requests such as completing a task (each
 * task can be completed once), by a pool of prepared items — whichever is spent first. It never
 * sends more requests than its pool holds, and its rate is taken over the requests actually
 * answered in the time actually taken, not over whole-second samples: a round that spends its
 * pool after 1.3 s reports answers ÷ 1.3 s.
 *
 * `pooledRounds` sizes each round's pool from the rate measured in the round before (the first
 * from a warm-up round), with a margin, a floor and a ceiling, so a faster server does not starve
 * its rounds: at worst a round ends early, with its pool, and the next one gets a bigger pool.
 */
import autocannon from 'autocannon';

export interface RoundOptions {
  /** The server's origin, e.g. `http://127.0.0.1:3000`. */
  url: string;
  connections: number;
  /** The round's duration; with a pool it ends earlier once every item is answered. */
  seconds: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The request path, or (with `pool`) the path for one item of the pool. */
  path: string | ((item: string) => string);
  /** One request per item, each sent at most once. */
  pool?: string[];
  /** Sees every answer (status and body), e.g. to collect the ids a submission answers with. */
  onAnswer?: (status: number, body: string) => void;
  /**
   * Goes on past `seconds` until this many 2xx answers (or the pool is spent), 60 s at most. On
   * a machine so busy that a request takes longer than the round, a round bound by duration alone
   * ends with nothing answered; with `minAnswers` = connections it lasts until each connection has
   * had about one answer, and its rate (answers ÷ the time actually taken) still means something.
   * On a quiet machine a round has many more answers than that and ends on time.
   */
  minAnswers?: number;
}

export interface Round {
  /** 2xx answers. */
  ok: number;
  /** Non-2xx answers, by status code. */
  failures: Record<string, number>;
  /** Connection errors and time-outs. */
  errors: number;
  /** Seconds actually taken: to the last answer when the pool was spent, else to the round's end. */
  seconds: number;
  /** `ok / seconds`. */
  rate: number;
  /** The round ended because its pool was spent, before its duration. */
  spent: boolean;
  /** Items of the pool handed out (sent, whether answered or not); the rest are still fresh. */
  used: number;
  /** Latency of the answers in ms; null when nothing was answered. */
  p50: number | null;
  p99: number | null;
}

/** How big a round's pool is, from the rate measured before it: `rate × seconds × margin + connections`, within [floor, ceiling]. */
export interface PoolPolicy {
  margin: number;
  floor: number;
  ceiling: number;
}

export function poolSize(rate: number, seconds: number, connections: number, policy: PoolPolicy): number {
  const want = Number.isFinite(rate) && rate > 0 ? Math.ceil(rate * seconds * policy.margin) + connections : policy.floor;
  return Math.max(policy.floor, Math.min(policy.ceiling, want));
}

/** The path a request would take past the end of its pool — never sent by construction; if it were, the round fails saying so. */
const OVERRUN = '/__bench-pool-overrun__';

/** One round of load; see the file's comment. Rejects only if autocannon cannot start. */
export function round(o: RoundOptions): Promise<Round> {
  const pool = o.pool;
  if (pool && (pool.length === 0 || typeof o.path !== 'function')) throw new Error('a pooled round needs at least one item and a path for each');
  let next = 0;
  let overrun = 0;
  // an error in onAnswer must not escape into autocannon's socket handlers; it fails the round
  const answerErrors: unknown[] = [];
  const path = o.path;
  const request: autocannon.Request = {
    method: o.method,
    headers: o.headers,
    ...(o.body !== undefined ? { body: o.body } : {}),
    path: typeof path === 'string' ? path : '/',
    ...(pool ? {
      // called once per request actually sent (the first per connection when it is set up)
      setupRequest: (req: autocannon.Request) => {
        if (next >= pool.length) {
          overrun++;
          return { ...req, path: OVERRUN };
        }
        return { ...req, path: (path as (item: string) => string)(pool[next++]!) };
      },
    } : {}),
    ...(o.onAnswer ? {
      onResponse: (status: number, body: string) => {
        try {
          o.onAnswer!(status, body);
        } catch (error) {
          answerErrors.push(error);
        }
      },
    } : {}),
  };
  const connections = pool ? Math.min(o.connections, pool.length) : o.connections;
  const capSeconds = o.minAnswers ? Math.max(o.seconds, 60) : o.seconds;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let last = t0;
    let answered = 0;
    let deadline = false;
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      instance.stop();
    };
    const instance = autocannon({
      url: o.url,
      connections,
      // the timers below stop it (after `seconds`, or later for `minAnswers`); with a pool it
      // also stops once each connection has sent its share
      duration: capSeconds + 1,
      ...(pool ? { amount: pool.length } : {}),
      // autocannon acts on a stop at its next sample tick: every 100 ms rather than every second
      sampleInt: 100,
      requests: [request],
    }, (err, result) => {
      clearTimeout(timer);
      clearTimeout(cap);
      if (err) return reject(err instanceof Error ? err : new Error(String(err)));
      if (answerErrors.length) return reject(new Error(`reading the answers: ${answerErrors.length}× ${String(answerErrors[0])}`));
      const end = performance.now();
      // ended on its own, not by a timer: every connection has sent its share of the pool
      const spent = pool !== undefined && !stopped;
      const ok = result['2xx'];
      const seconds = ((spent ? last : end) - t0) / 1000;
      const failures: Record<string, number> = {};
      for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) {
        if (!code.startsWith('2') && s.count) failures[code] = s.count;
      }
      if (overrun) failures[`${overrun} past the pool (a bug in the round)`] = overrun;
      const r: Round = {
        ok, failures, errors: result.errors, seconds, rate: seconds > 0 ? ok / seconds : 0, spent, used: Math.min(next, pool?.length ?? 0),
        p50: ok ? result.latency.p50 : null, p99: ok ? result.latency.p99 : null,
      };
      // Stopped by its duration, the round left requests in flight (autocannon drops their
      // connections, the server still does the work): let the server finish them — about one
      // latency — so the next round does not start behind them.
      const settle = spent ? 0 : Math.min(10_000, r.p99 ?? seconds * 1000);
      setTimeout(() => resolve(r), settle);
    });
    instance.on('response', (_client, status) => {
      if (status >= 200 && status < 300) {
        last = performance.now();
        answered++;
        if (deadline && answered >= (o.minAnswers ?? 0)) stop();
      }
    });
    const timer = setTimeout(() => {
      deadline = true;
      if (answered >= (o.minAnswers ?? 0)) stop();
    }, o.seconds * 1000);
    const cap = setTimeout(stop, capSeconds * 1000);
  });
}

/** One line about a round, for notes and errors. */
export function describe(r: Round): string {
  const failed = Object.entries(r.failures).map(([code, n]) => `${n}× ${code}`).join(', ');
  return `${r.ok} in ${r.seconds.toFixed(2)} s${r.spent ? ' (pool spent)' : ''}${failed ? `, failed: ${failed}` : ''}${r.errors ? `, ${r.errors} connection errors/time-outs` : ''}`;
}

/** Throws unless the round was answered, and only with 2xx. */
export function check(what: string, r: Round): Round {
  if (Object.keys(r.failures).length) throw new Error(`${what}: ${describe(r)}`);
  if (r.ok === 0) throw new Error(`${what}: nothing answered in ${r.seconds.toFixed(1)} s (${r.errors} connection errors/time-outs)`);
  return r;
}

export interface PooledRoundsOptions {
  rounds: number;
  seconds: number;
  connections: number;
  /** Not reported; measures the rate the first round's pool is sized from (and warms the server up). */
  warmup: { seconds: number; pool: number };
  policy: PoolPolicy;
  /** `n` fresh items, prepared as needed (e.g. by submitting cases); may take its time, it is not measured. */
  take(n: number): Promise<string[]>;
  /** Items taken but never sent: still fresh, for the next round. */
  giveBack(items: string[]): void;
  /** One round over `pool` (see `round`; pass `minAnswers` on: it is `connections`). */
  run(pool: string[], seconds: number, minAnswers?: number): Promise<Round>;
  /** What the rounds do, for error messages, e.g. "completions". */
  what: string;
}

export interface PooledRounds {
  warmup: Round;
  rounds: Round[];
  /** The pool each round was given. */
  pools: number[];
}

/** A warm-up round, then `rounds` rounds, each with a pool sized from the rate measured in the round before. */
export async function pooledRounds(o: PooledRoundsOptions): Promise<PooledRounds> {
  const once = async (size: number, seconds: number, label: string) => {
    const pool = await o.take(size);
    if (pool.length < size) throw new Error(`${o.what}: ${label} got ${pool.length} of the ${size} items it needs`);
    const r = await o.run(pool, seconds, o.connections);
    o.giveBack(pool.slice(r.used));
    return check(`${o.what}, ${label}`, r);
  };
  // every round, the warm-up too, goes on until it has had as many answers as connections (see `minAnswers`)
  const warmup = await once(o.warmup.pool, o.warmup.seconds, 'warm-up');
  const rounds: Round[] = [];
  const pools: number[] = [];
  let rate = warmup.rate;
  for (let i = 0; i < o.rounds; i++) {
    const size = poolSize(rate, o.seconds, o.connections, o.policy);
    pools.push(size);
    const r = await once(size, o.seconds, `round ${i + 1} of ${o.rounds}`);
    rounds.push(r);
    rate = r.rate;
  }
  return { warmup, rounds, pools };
}
