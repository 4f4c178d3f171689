/**
 * Where an open-loop round's requests waited (#24): read before and after the round, from the
 * server's `GET /api/v1/metrics` and the database's `serverStatus.lianban` (its own process).
 *
 * - event loop: p99 and longest delay of each process over the round (server: prom-client's
 *   `lianban_nodejs_eventloop_lag_*`, database: `serverStatus.lianban.eventLoop`; both
 *   `monitorEventLoopDelay` at 10-ms resolution, reset by each read — so the read after the round
 *   covers exactly the round);
 * - GC: total pause time and the longest pause of each process;
 * - per request: the server's own handling time (its latency histogram: from the first
 *   middleware to the answer), the time its database commands took (sent → answered, summed), the
 *   wait for a pooled connection, connections opened; the database's journal: fsync time (mean,
 *   longest) and each commit's wait for durability.
 *
 * The client-side latency minus the server's handling time is the time a request spent before
 * the server saw it (the kernel's queue while the event loop was busy, a new connection) and
 * after it answered.
 */
import mongoose from 'mongoose';
import { BENCH_METRICS_TOKEN } from './probe';

/** The server's figures read from one scrape (cumulative ones as totals; `*Max` and the loop over the window since the previous scrape). */
export interface ServerReading {
  loopP99Ms: number;
  loopMaxMs: number;
  gcMs: number;
  gcMaxMs: number;
  dbCommandMs: number;
  poolWaitMs: number;
  poolWaitMaxMs: number;
  connectionsCreated: number;
  /** Commands by `command collection`. */
  byCollection: Record<string, number>;
  /** Handling time summed and counted, by `METHOD route` (the latency histogram's _sum and _count). */
  handled: Record<string, { ms: number; count: number }>;
}

const NUMBER = String.raw`([0-9.e+-]+|NaN)`;

/** Reads the figures this module needs from the metrics text. */
export function parseServerReading(text: string): ServerReading {
  const one = (name: string) => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+${NUMBER}$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  const total = (name: string) => {
    let n = 0;
    for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+${NUMBER}$`, 'gm'))) n += Number(m[1]);
    return n;
  };
  const handled: ServerReading['handled'] = {};
  for (const m of text.matchAll(new RegExp(`^lianban_http_request_duration_seconds_(sum|count)\\{([^}]*)\\}\\s+${NUMBER}$`, 'gm'))) {
    const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    const key = `${labels.method} ${labels.route}`;
    const h = (handled[key] ??= { ms: 0, count: 0 });
    if (m[1] === 'sum') h.ms = Number(m[3]) * 1000;
    else h.count = Number(m[3]);
  }
  const byCollection: Record<string, number> = {};
  for (const m of text.matchAll(new RegExp(`^lianban_db_collection_commands_total\\{command="([^"]*)",collection="([^"]*)"\\}\\s+${NUMBER}$`, 'gm'))) byCollection[`${m[1]} ${m[2]}`] = Number(m[3]);
  return {
    byCollection,
    loopP99Ms: one('lianban_nodejs_eventloop_lag_p99_seconds') * 1000,
    loopMaxMs: one('lianban_nodejs_eventloop_lag_max_seconds') * 1000,
    gcMs: total('lianban_nodejs_gc_duration_seconds_sum') * 1000,
    gcMaxMs: one('lianban_gc_pause_max_seconds') * 1000,
    dbCommandMs: one('lianban_db_command_seconds_total') * 1000,
    poolWaitMs: one('lianban_db_pool_wait_seconds_total') * 1000,
    poolWaitMaxMs: one('lianban_db_pool_wait_max_seconds') * 1000,
    connectionsCreated: one('lianban_db_connections_created_total'),
    handled,
  };
}

export interface DbReading {
  eventLoop: { samples: number; p99Ms: number; maxMs: number };
  gc: { count: number; ms: number; maxMs: number };
  journal: { groups: number; syncMs: number; syncMaxMs: number; commits: number; commitWaitMs: number; commitWaitMaxMs: number };
}

/** The figures of one round. */
export interface Stalls {
  server: { loopP99Ms: number; loopMaxMs: number; gcMs: number; gcMaxMs: number };
  db: { loopP99Ms: number; loopMaxMs: number; gcMs: number; gcMaxMs: number; fsyncs: number; fsyncMeanMs: number; fsyncMaxMs: number; commitWaitMeanMs: number; commitWaitMaxMs: number } | null;
  /** Per answered request of the round's route. */
  perRequest: { handledMs: number; dbCommandMs: number; poolWaitMs: number } | null;
  poolWaitMaxMs: number;
  connectionsCreated: number;
  /** Commands per answered request by `command collection` (the most first; the background's included). */
  byCollection: [string, number][];
}

/** Reads the server's metrics and, when there is one, the database process's serverStatus. */
export class StallProbe {
  /** `metrics`: the server's exposition text; `db`: a connection to the database process (none when the database is inside the server). */
  constructor(private metrics: () => Promise<string>, private db: mongoose.Connection | null, private owned = false) {}

  /** `dbUri`: the database process's URI (credentials included), or none when the database is inside the server. */
  static async open(url: string, dbUri?: string): Promise<StallProbe> {
    const db = dbUri ? await mongoose.createConnection(dbUri, { maxPoolSize: 1 }).asPromise() : null;
    const metrics = async () => {
      const res = await fetch(`${url}/api/v1/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET /api/v1/metrics answered ${res.status}: ${text.slice(0, 200)}`);
      return text;
    };
    return new StallProbe(metrics, db, true);
  }

  async close(): Promise<void> {
    if (this.owned) await this.db?.close();
  }

  async read(): Promise<Reading> {
    const text = await this.metrics();
    const db = this.db ? ((await this.db.db!.admin().command({ serverStatus: 1 })).lianban as DbReading) : null;
    return { server: parseServerReading(text), db };
  }

  /** `fn` between two readings; `route` (`POST /cases`) names the requests to divide by. */
  async around<T>(route: string, fn: () => Promise<T>): Promise<{ value: T; stalls: Stalls }> {
    const a = await this.read();
    const value = await fn();
    const b = await this.read();
    return { value, stalls: stallsBetween(a, b, route) };
  }
}

export interface Reading { server: ServerReading; db: DbReading | null }

export function stallsBetween(a: Reading, b: Reading, route: string): Stalls {
  const s = b.server;
  const answered = (s.handled[route]?.count ?? 0) - (a.server.handled[route]?.count ?? 0);
  const j = b.db && a.db ? { groups: b.db.journal.groups - a.db.journal.groups, sync: b.db.journal.syncMs - a.db.journal.syncMs, commits: b.db.journal.commits - a.db.journal.commits, wait: b.db.journal.commitWaitMs - a.db.journal.commitWaitMs } : null;
  return {
    server: { loopP99Ms: s.loopP99Ms, loopMaxMs: s.loopMaxMs, gcMs: s.gcMs - a.server.gcMs, gcMaxMs: s.gcMaxMs },
    db: b.db && a.db && j ? {
      loopP99Ms: b.db.eventLoop.p99Ms, loopMaxMs: b.db.eventLoop.maxMs, gcMs: b.db.gc.ms - a.db.gc.ms, gcMaxMs: b.db.gc.maxMs,
      fsyncs: j.groups, fsyncMeanMs: j.groups ? j.sync / j.groups : 0, fsyncMaxMs: b.db.journal.syncMaxMs,
      commitWaitMeanMs: j.commits ? j.wait / j.commits : 0, commitWaitMaxMs: b.db.journal.commitWaitMaxMs,
    } : null,
    perRequest: answered > 0 ? {
      handledMs: ((s.handled[route]?.ms ?? 0) - (a.server.handled[route]?.ms ?? 0)) / answered,
      dbCommandMs: (s.dbCommandMs - a.server.dbCommandMs) / answered,
      poolWaitMs: (s.poolWaitMs - a.server.poolWaitMs) / answered,
    } : null,
    poolWaitMaxMs: s.poolWaitMaxMs,
    byCollection: Object.entries(s.byCollection).map(([k, v]): [string, number] => [k, answered > 0 ? (v - (a.server.byCollection[k] ?? 0)) / answered : 0]).filter(([, v]) => v >= 0.05).sort((x, y) => y[1] - x[1]),
    connectionsCreated: s.connectionsCreated - a.server.connectionsCreated,
  };
}

const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** One line for a row's note. */
export function describeStalls(x: Stalls): string {
  const parts = [`server event loop p99 ${f(x.server.loopP99Ms)} ms, longest stall ${f(x.server.loopMaxMs)} ms, GC ${f(x.server.gcMs)} ms (longest ${f(x.server.gcMaxMs)})`];
  if (x.db) parts.push(`database event loop p99 ${f(x.db.loopP99Ms)} ms, longest stall ${f(x.db.loopMaxMs)} ms, GC ${f(x.db.gcMs)} ms (longest ${f(x.db.gcMaxMs)}), ${x.db.fsyncs} fsyncs of ${f(x.db.fsyncMeanMs)} ms (longest ${f(x.db.fsyncMaxMs)}), a commit waits ${f(x.db.commitWaitMeanMs)} ms for the journal (longest ${f(x.db.commitWaitMaxMs)})`);
  if (x.perRequest) parts.push(`per request: ${f(x.perRequest.handledMs)} ms in the server's handler, of which ${f(x.perRequest.dbCommandMs)} ms awaiting database commands and ${f(x.perRequest.poolWaitMs)} ms a pooled connection (longest ${f(x.poolWaitMaxMs)})`);
  parts.push(`${x.connectionsCreated} database connections opened`);
  if (x.byCollection.length) parts.push(`commands per request, background included: ${x.byCollection.slice(0, 12).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
  return parts.join('; ');
}
