/**
 * Handshake and administrative commands drivers, mongoose and mongosh send: hello/isMaster
 * (presenting a single-node replica set so sessions and transactions work; no topologyVersion,
 * so drivers poll instead of using awaitable hello), buildInfo, ping and friends.
 */
import os from 'node:os';
import { Long, ObjectId, Timestamp, type Document } from 'bson';
import { freezeCounts } from '../storage/collection';
import { DATA_DIR_ID_FIELD } from '../storage/liveness';
import { SESSION_TIMEOUT_MINUTES } from '../txn/sessions';
import { MAX_BSON_BYTES, MAX_MESSAGE_BYTES } from '../wire/protocol';
import { speculativeAuthenticate } from './auth';
import type { CommandSpec, Ctx } from './context';

/** MongoDB 7.0's wire version: what the server's command set matches. */
export const MAX_WIRE_VERSION = 21;
export const VERSION = '7.0.0';
const electionId = new ObjectId('7fffffff0000000000000001');

function hello(ctx: Ctx, legacy: boolean): Document {
  const { server } = ctx;
  const now = new Date();
  const speculative = speculativeAuthenticate(ctx);
  const opTime = { ts: new Timestamp({ t: Math.floor(now.getTime() / 1000), i: server.store.ts + 1 }), t: Long.fromNumber(1) };
  return {
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    ...(ctx.cmd.helloOk ? { helloOk: true } : {}),
    secondary: false,
    setName: server.setName,
    setVersion: 1,
    hosts: [server.hostAndPort],
    primary: server.hostAndPort,
    me: server.hostAndPort,
    electionId,
    lastWrite: { opTime, lastWriteDate: now, majorityOpTime: opTime, majorityWriteDate: now },
    maxBsonObjectSize: MAX_BSON_BYTES,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: SESSION_TIMEOUT_MINUTES,
    connectionId: ctx.conn.id,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ...(ctx.cmd.saslSupportedMechs !== undefined ? { saslSupportedMechs: server.scram.mechanismsFor(ctx.cmd.saslSupportedMechs) } : {}),
    ...(speculative ? { speculativeAuthenticate: speculative } : {}),
    // Lets a starting server tell "this database is served there" from "something else is on that port" (storage/lockfile.ts).
    [DATA_DIR_ID_FIELD]: server.durable.dataDirId,
    ok: 1,
  };
}

const buildInfo: CommandSpec = {
  txn: true,
  noAuth: true,
  run: () => ({
    version: VERSION,
    versionArray: [7, 0, 0, 0],
    gitVersion: 'lianban-embedded',
    modules: [],
    allocator: 'system',
    javascriptEngine: 'none',
    sysInfo: 'deprecated',
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_BYTES,
    storageEngines: ['lianban-embedded'],
    lianbanEmbedded: true,
    ok: 1,
  }),
};

const ok: CommandSpec = { txn: true, noAuth: true, run: () => ({ ok: 1 }) };

export const adminCommands: Record<string, CommandSpec> = {
  hello: { txn: true, noAuth: true, run: (ctx) => hello(ctx, false) },
  isMaster: { txn: true, noAuth: true, run: (ctx) => hello(ctx, true) },
  ismaster: { txn: true, noAuth: true, run: (ctx) => hello(ctx, true) },
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  whatsmyuri: { run: (ctx) => ({ you: ctx.conn.remote, ok: 1 }) },
  connectionStatus: {
    noAuth: true,
    run: (ctx) => {
      const user = ctx.conn.auth.user;
      return {
        authInfo: user ? { authenticatedUsers: [{ user, db: 'admin' }], authenticatedUserRoles: [{ role: 'root', db: 'admin' }] } : { authenticatedUsers: [], authenticatedUserRoles: [] },
        ok: 1,
      };
    },
  },
  getCmdLineOpts: { run: () => ({ argv: process.argv.slice(1), parsed: {}, ok: 1 }) },
  getLog: { run: (ctx) => (ctx.cmd.getLog === '*' ? { names: ['startupWarnings'], ok: 1 } : { totalLinesWritten: 0, log: [], ok: 1 }) },
  hostInfo: {
    run: () => ({
      system: { hostname: os.hostname(), cpuArch: os.arch(), numCores: os.cpus().length, memSizeMB: Math.round(os.totalmem() / 1048576) },
      os: { type: os.type(), name: os.platform(), version: os.release() },
      extra: {},
      ok: 1,
    }),
  },
  getParameter: {
    run: (ctx) => ({
      ...(ctx.cmd.featureCompatibilityVersion || ctx.cmd.getParameter === '*' ? { featureCompatibilityVersion: { version: '7.0' } } : {}),
      ...(ctx.cmd.transactionLifetimeLimitSeconds || ctx.cmd.getParameter === '*' ? { transactionLifetimeLimitSeconds: 60 } : {}),
      ok: 1,
    }),
  },
  serverStatus: {
    run: (ctx) => ({
      host: os.hostname(),
      version: VERSION,
      process: 'lianban-db',
      pid: Long.fromNumber(process.pid),
      uptime: (Date.now() - ctx.server.startedAt.getTime()) / 1000,
      localTime: new Date(),
      connections: {},
      metrics: { cursor: { open: { total: ctx.server.cursors.size } } },
      transactions: { currentOpen: ctx.server.txns.active.size },
      logicalSessionRecordCache: { activeSessionsCount: ctx.server.sessions.size },
      lianban: { ...ctx.server.stats.toDocument(), frozen: { ...ctx.server.store.frozen, ...freezeCounts } },
      ok: 1,
    }),
  },
  replSetGetStatus: {
    run: (ctx) => ({
      set: ctx.server.setName,
      date: new Date(),
      myState: 1,
      members: [{ _id: 0, name: ctx.server.hostAndPort, health: 1, state: 1, stateStr: 'PRIMARY', self: true }],
      ok: 1,
    }),
  },
  dbStats: {
    run: (ctx) => {
      const names = ctx.server.store.namesIn(ctx.db);
      const objects = names.reduce((n, name) => n + ctx.server.store.get(`${ctx.db}.${name}`)!.count, 0);
      return { db: ctx.db, collections: names.length, views: 0, objects, dataSize: 0, storageSize: 0, indexes: 0, indexSize: 0, ok: 1 };
    },
  },
};
