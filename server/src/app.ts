/**
 * The Koa application: error mapping, security headers, JSON body parsing, the `/api/v1`
 * routes and the built web apps. Controllers validate and authorize; services do the work.
 */
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import helmet from 'koa-helmet';
import compress from 'koa-compress';
import type { Config } from './config';
import type { Database } from './db/connection';
import { errorMiddleware } from './http/errors';
import { jsonGuard } from './http/json-guard';
import { webApps } from './http/static';
import { routerFor } from './http/route-table';
import { FEATURE_TABLES, PUBLIC_ROUTES } from './routes/index';
import { noScanner } from './services/attachments';
import { quotasWith } from './services/quotas';
import type { Models } from './models';
import { createServices, type Services } from './services/assemble';
import { callerMiddleware } from './http/session';
import { clientAddressMiddleware, parseTrustedProxies } from './http/client-address';
import { sameOriginGuard } from './http/same-origin';
import { ApiError } from './http/errors';
import { openApiDocument } from './openapi';
import { requestContext } from './http/request-context';
import { bindDatabase, metricsMiddleware } from './http/metrics';
import { log } from './log';
import { configureDocuments } from './services/documents';
import { configureSms } from './services/sms/settings';
import { configureExchange } from './services/exchange/records';
import { configureOidc } from './services/oidc';
import { configureLicences } from './services/licences/provider';

export interface AppDeps {
  config: Config;
  db: Database;
  /**
   * The services of `db`, assembled once by `startServer` and shared with the scheduler (one set
   * of caches per process); built here when not given (tests that only need the app).
   */
  services?: Services;
}

/** The Koa app over `db`: answers 503 to every API request when the database is unavailable. */
export function createApp({ config, db, services }: AppDeps): Koa {
  // X-Forwarded-* are believed only from LIANBAN_TRUSTED_PROXIES (http/client-address.ts)
  const app = new Koa({ proxy: false });
  app.silent = true;
  app.on('error', (err: Error & { code?: string }, ctx?: { method?: string; path?: string; state?: { requestId?: string } }) => {
    // A client that went away mid-answer is not a failure of ours.
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET' || err.code === 'EPIPE') {
      log.debug({ err: err.message, code: err.code, method: ctx?.method, path: ctx?.path, requestId: ctx?.state?.requestId }, 'client closed the connection');
      return;
    }
    log.error({ err, method: ctx?.method, path: ctx?.path, requestId: ctx?.state?.requestId }, 'request failed');
  });
  app.use(requestContext); // X-Request-Id, carried into logs and audit records
  app.use(metricsMiddleware); // outside the error mapping: it counts the status the client gets
  app.use(errorMiddleware);
  app.use(clientAddressMiddleware(parseTrustedProxies(config.trustedProxies)));
  app.use(helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // antd's CSS-in-JS and bpmn-js inject style elements.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        // the designer's 文书模板 preview shows the PDF it fetched (a blob: URL) in a frame
        frameSrc: ["'self'", 'blob:'],
      },
    },
  }));
  // gzip/brotli for the web apps' bundles and large JSON (the portal's form page: 1.8 MB → ~0.6 MB).
  app.use(compress({ threshold: 1024 }));
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '2mb' }));
  app.use(jsonGuard); // depth ≤ 64, no NUL or `$` in keys (400 invalid-json)

  configureDocuments({ origin: config.publicOrigin ?? `http://localhost:${config.port || 3000}` });
  configureSms({ provider: config.sms?.provider });
  configureExchange(config.exchange);
  configureOidc(config.oidc); // 统一身份认证: discovery starts in the background
  configureLicences(config.licence); // 电子证照 (免提交)
  const assembled = services ?? (db.connection ? createServices(db.connection) : null);
  const models: Models | null = assembled?.models ?? null;
  if (assembled) bindDatabase(assembled);
  const api = new Router({ prefix: '/api/v1' });
  api.use(sameOriginGuard);
  api.use(routerFor(PUBLIC_ROUTES, { db, document: openApiDocument(), metricsToken: config.metricsToken }).routes());
  if (models) {
    api.use(callerMiddleware(() => models));
    for (const routes of featureRoutes(models, assembled!.conn, config.quotas)) {
      api.use(routes.routes(), routes.allowedMethods());
    }
  } else {
    api.all('/{*rest}', () => {
      throw new ApiError(503, 'db-unavailable', `数据库不可用，暂时无法处理请求：${db.problem ?? ''}`);
    });
  }
  app.use(api.routes());
  app.use(api.allowedMethods());
  app.use(webApps(config.webRoot));
  return app;
}

/** The routers of the API's features (everything but health and the OpenAPI document), from the route table. */
export function featureRoutes(models: Models, conn: NonNullable<Database['connection']>, quotas?: Config['quotas']): Router[] {
  const deps = { models, conn, scanner: noScanner, quotas: quotasWith(quotas) };
  return FEATURE_TABLES.map((table) => routerFor(table, deps));
}
