/**
 * Prometheus metrics (`GET /metrics`, prom-client): requests by route and status, their latency,
 * engine steps, the outbox's depth, the timers' lag, database round trips, and the process's
 * own figures (CPU, memory, event-loop lag). One registry per process; the gauges that need the
 * database read it when scraped. Where requests wait (#24, bench/server.bench.ts's open-loop
 * notes): `lianban_nodejs_eventloop_lag_p99_seconds` / `_max_seconds` (prom-client, over the
 * window since the previous scrape), `lianban_gc_pause_max_seconds` (likewise) and the GC totals
 * `lianban_nodejs_gc_duration_seconds`, the database commands' time and the driver pool's waits.
 *
 *   app.use(metricsMiddleware);             // counts every answer under its route template
 *   bindDatabase(services);                 // outbox depth, timer lag, database round trips
 *   await metricsText();                    // the exposition text
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PerformanceObserver } from 'node:perf_hooks';
import type { Context, Next } from 'koa';
import { trusted, type Connection } from 'mongoose';
import type { Models } from '../models';
import { log } from '../log';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'lianban_' });

const requests = new Counter({
  name: 'lianban_http_requests_total', help: 'HTTP requests answered, by route template, method and status',
  labelNames: ['method', 'route', 'status'] as const, registers: [registry],
});
const latency = new Histogram({
  name: 'lianban_http_request_duration_seconds', help: 'Time to answer an HTTP request, by route template and method',
  labelNames: ['method', 'route'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
});
const engineSteps = new Counter({ name: 'lianban_engine_steps_total', help: 'Engine steps saved (submissions, completions, messages, timers)', registers: [registry] });
const dbCommands = new Counter({ name: 'lianban_db_commands_total', help: 'Commands sent to the database (round trips)', labelNames: ['command'] as const, registers: [registry] });
// #24, where a request waits: in the database (each command from sent to answered, its own
// connection's queue included), for a pooled connection, for new connections to be opened
const dbCommandSeconds = new Counter({ name: 'lianban_db_command_seconds_total', help: 'Time from sending a database command to its answer, summed over commands', registers: [registry] });
const poolWaitSeconds = new Counter({ name: 'lianban_db_pool_wait_seconds_total', help: 'Time spent waiting to check a connection out of the driver pool, summed', registers: [registry] });
const poolCheckouts = new Counter({ name: 'lianban_db_pool_checkouts_total', help: 'Connections checked out of the driver pool', registers: [registry] });
const poolWaitMax = new Gauge({ name: 'lianban_db_pool_wait_max_seconds', help: 'The longest wait for a pooled connection since the previous scrape', registers: [registry] });
const poolCreated = new Counter({ name: 'lianban_db_connections_created_total', help: 'Database connections the driver opened', registers: [registry] });
const dbCommandsByCollection = new Counter({ name: 'lianban_db_collection_commands_total', help: 'Commands sent to the database, by command and collection (which work the round trips serve)', labelNames: ['command', 'collection'] as const, registers: [registry] });
let longestPoolWait = 0;
// GC pauses: prom-client's nodejs_gc_duration_seconds has the totals; the longest is what stalls requests
let longestGc = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.duration > longestGc) longestGc = e.duration;
}).observe({ entryTypes: ['gc'] });
new Gauge({
  name: 'lianban_gc_pause_max_seconds', help: 'The longest garbage-collection pause since the previous scrape', registers: [registry],
  collect() {
    this.set(longestGc / 1000);
    longestGc = 0;
    poolWaitMax.set(longestPoolWait / 1000);
    longestPoolWait = 0;
  },
});

/** The database the gauges read; set once per process by `bindDatabase`. */
let bound: Models | null = null;

new Gauge({
  name: 'lianban_outbox_depth', help: 'Pushes and tasks for department systems not yet acknowledged', registers: [registry],
  async collect() { this.set(bound ? await bound.Outbox.countDocuments({ ackedAt: null }).maxTimeMS(2000) : 0); },
});
new Gauge({
  name: 'lianban_timer_lag_seconds', help: 'How late the oldest due timer that has not fired is (0 when none is due)', registers: [registry],
  async collect() {
    const oldest = bound ? await bound.Timer.findOne({ firedAt: null, dueAt: trusted({ $lte: new Date() }) }).sort({ dueAt: 1 }).select({ dueAt: 1 }).lean().maxTimeMS(2000) : null;
    this.set(oldest ? Math.max(0, (Date.now() - +oldest.dueAt) / 1000) : 0);
  },
});

/** Counts one saved engine step (services/advance-case.ts). */
export function countEngineStep(): void { engineSteps.inc(); }

/** Lets the gauges read this database and counts the commands sent on `conn` (needs `monitorCommands`). */
export function bindDatabase({ models, conn }: { models: Models; conn: Connection }): void {
  if (bound === models) return;
  bound = models;
  const client = conn.getClient();
  client.on('commandStarted', (event: { commandName: string; command: Record<string, unknown> }) => {
    dbCommands.inc({ command: event.commandName });
    // the collection is the command's first field's value (`{find: 'cases', …}`); a bounded set of names
    const target = event.command[event.commandName];
    dbCommandsByCollection.inc({ command: event.commandName, collection: typeof target === 'string' && target.length <= 40 ? target : '-' });
  });
  const answered = (event: { duration: number }) => dbCommandSeconds.inc(event.duration / 1000);
  client.on('commandSucceeded', answered);
  client.on('commandFailed', answered);
  client.on('connectionCheckedOut', (event: { durationMS?: number }) => {
    poolCheckouts.inc();
    const ms = event.durationMS ?? 0;
    poolWaitSeconds.inc(ms / 1000);
    if (ms > longestPoolWait) longestPoolWait = ms;
  });
  client.on('connectionCreated', () => poolCreated.inc());
}

/**
 * Koa middleware: times each request and counts its answer under the route template it matched;
 * logs it (JSON, with its request id) — at `debug` when it succeeded, `info` for a client error,
 * `error` for a server error — so the default level keeps only what needs looking at.
 */
export async function metricsMiddleware(ctx: Context, next: Next): Promise<void> {
  const end = latency.startTimer();
  try {
    await next();
  } finally {
    // The template (`/cases/:id`), never the raw path: ids in labels would grow without bound.
    const route = typeof ctx.state.route === 'string' ? ctx.state.route : ctx.path.startsWith('/api/') ? 'unmatched' : 'web';
    const method = ctx.method;
    const seconds = end({ method, route });
    const status = ctx.status;
    requests.inc({ method, route, status: String(status) });
    const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
    if (log.isLevelEnabled(level)) log[level]({ method, route, status, ms: Math.round(seconds * 1000) }, 'request');
  }
}

/** The exposition text of every metric. */
export function metricsText(): Promise<string> {
  return registry.metrics();
}

export const METRICS_CONTENT_TYPE = registry.contentType;
