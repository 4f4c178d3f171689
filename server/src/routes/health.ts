/**
 * Answered even without a database: `GET /health` — liveness plus which database is in use
 * (API.md) —, `GET /ready` — readiness: 200 only when the database answers —, `GET /metrics`
 * (Prometheus, behind `LIANBAN_METRICS_TOKEN`) and `GET /openapi.json`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/connection';
import { ApiError } from '../http/errors';
import { METRICS_CONTENT_TYPE, metricsText } from '../http/metrics';
import type { Route } from '../http/route-table';
import { oidcStatus } from '../services/oidc';

export interface PublicDeps {
  db: Database;
  /** The OpenAPI document (built from the route table once). */
  document: unknown;
  /** LIANBAN_METRICS_TOKEN: the bearer token `GET /metrics` requires; unset, the route answers 404. */
  metricsToken?: string;
}

/** How long readiness waits for the database's answer. */
const READY_PING_MS = 1000;

async function databaseAnswers(db: Database): Promise<string | null> {
  const conn = db.connection;
  if (!conn || conn.readyState !== 1 || !conn.db) return db.problem ?? '数据库连接已断开';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => { timer = setTimeout(() => resolve(`数据库 ${READY_PING_MS} ms 内没有应答`), READY_PING_MS); });
  try {
    return await Promise.race([conn.db.admin().ping().then(() => null, (err: Error) => `数据库不可用：${err.message}`), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Compares the Authorization header with `Bearer <token>` in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
}

export const PUBLIC_ROUTES: Route<PublicDeps>[] = [
  {
    method: 'get', path: '/health', summary: '健康检查与数据库模式', who: 'anyone', answer: 'Health',
    handler: (ctx, { db }) => {
      const available = db.connection !== null && db.connection.readyState === 1;
      ctx.body = {
        status: available ? 'ok' : 'degraded',
        db: available ? { mode: db.mode, available } : { mode: db.mode, available, message: db.problem ?? '数据库连接已断开' },
      };
    },
  },
  {
    method: 'get', path: '/ready', summary: '就绪检查（数据库应答时 200，否则 503）', who: 'anyone', answer: 'Ready',
    handler: async (ctx, { db }) => {
      const problem = await databaseAnswers(db);
      ctx.status = problem ? 503 : 200;
      const body: Record<string, unknown> = problem ? { status: 'not-ready', message: problem } : { status: 'ready' };
      // the identity platform being down does not make this process unready: password sign-in still works
      const oidc = oidcStatus();
      if (oidc.enabled) body.oidc = { available: oidc.available ?? false, ...(oidc.message ? { message: oidc.message } : {}) };
      ctx.body = body;
    },
  },
  {
    method: 'get', path: '/metrics', summary: 'Prometheus 指标（需 LIANBAN_METRICS_TOKEN）', who: 'anyone',
    parameters: [{ name: 'Authorization', in: 'header', required: true, schema: { type: 'string' }, description: 'Bearer <LIANBAN_METRICS_TOKEN>' }],
    handler: async (ctx, { metricsToken }) => {
      if (!metricsToken) throw new ApiError(404, 'metrics-disabled', '未配置 LIANBAN_METRICS_TOKEN，指标接口未开启');
      if (!bearerMatches(ctx.get('Authorization'), metricsToken)) {
        ctx.set('WWW-Authenticate', 'Bearer');
        throw new ApiError(401, 'unauthenticated', '指标接口需要正确的访问令牌（Authorization: Bearer …）');
      }
      ctx.type = METRICS_CONTENT_TYPE;
      ctx.body = await metricsText();
    },
  },
  {
    method: 'get', path: '/openapi.json', summary: '本文档', who: 'anyone',
    handler: (ctx, { document }) => { ctx.body = document; },
  },
];
