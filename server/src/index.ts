/**
 * @lianban/server — the Koa HTTP API (API.md), persistence through mongoose, and the web apps.
 *
 *   import { startServer, configFromEnv } from '@lianban/server';
 *   const server = await startServer(configFromEnv());   // listens, opens the database
 *   console.log(server.url);  await server.close();
 *
 * Layout: `config.ts` (environment) · `server.ts` (assembles the services once —
 * `createServices` — for the app and the scheduler) · `app.ts` (middleware and routes) ·
 * `routes/` (the route table: one module per concern, each route declared once as data —
 * `http/route-table.ts` registers it, `openapi.ts` prints it; controllers validate, authorize,
 * delegate) · `services/` (the work; every engine
 * step of a case goes through `advanceCase`, and services throw `DomainError`s that
 * `http/errors.ts` maps to HTTP statuses in one table, `ERROR_STATUS`) · `models/` (mongoose)
 * · `db/` (the database cascade; the embedded server itself is `@lianban/embedded-db`).
 *
 *   const app = createApp({ config, db, services: createServices(db.connection!) });  // tests: services optional
 */
export { configFromEnv, type Config } from './config';
export { createApp, featureRoutes } from './app';
export { OPERATIONS, openApiDocument, openApiPath } from './openapi';
export { API_ROUTES, FEATURE_TABLES, PUBLIC_ROUTES, type RouteDeps, type FeatureRoute } from './routes/index';
export { routerFor, type Route, type RouteInfo } from './http/route-table';
export { openDatabase, type Database, type DbMode } from './db/connection';
export { startServer, type RunningServer } from './server';
export { createModels, type Models } from './models';
export { seedDemoAccounts, seedDemoTemplates, DEMO_CITIES } from './services/demo';
export { seedDemoProvincialTemplate } from './services/templates';
export { startScheduler, type Scheduler } from './services/scheduler';
export { foldStats, startStatsRollup, type FoldMemory, type StatsRollupFolder } from './services/stats-rollup';
export { betweenRequests, requestsInFlight } from './services/background-gate';
export { runOnce, type RunOnceOptions } from './services/leases';
export { ApiError, ERROR_STATUS, errorMiddleware } from './http/errors';
export { clientAddress, parseTrustedProxies, type TrustedProxies } from './http/client-address';
export { passwordProblem, randomPassword } from './services/auth';
export { DomainError, RevisionConflict, type DomainErrorCode } from './services/errors';
export { createServices, type Services } from './services/assemble';
export { createLogger, log } from './log';
export { issueDocument, issueDueDocuments, documentsSettled, verifyToken, type DocumentKind, type IssueExtra } from './services/documents';
export { chineseDate, documentLines, fillPlaceholders, MAX_LIST_ENTRIES, MAX_PARAGRAPH_CHARS } from './services/document-text';
export { evaluationLink } from './services/evaluation';
export { OIDC_LOGIN_LIMIT } from './routes/oidc';
export { promiseTask } from './services/promises';
export { commitNumbered, numberedCommitCounts, type NumberedWrite } from './services/case-number-commit';
export { dispatchNotifications, logProvider, DISPATCH_DEFAULTS, type DispatchOptions, type NotificationProvider } from './services/notify';
// SMS (issue 23 part 2): providers, templates, the SMS outbox
export { aliyunProvider, tencentProvider, logSmsProvider, smsProviderFromConfig, aliyunSignatureV1, tencentAuthorization, maskPhone, SmsError, type SmsProvider, type SmsRequest, type SmsResult } from './services/sms/providers';
export { enqueueSms, enqueueSmsBatch, sendDueSms, backoffMs, DEFAULT_SMS_LIMITS, type SmsLimits } from './services/sms/outbox';
export { checkTemplates, smsKindOf, SMS_KINDS, SMS_PARAMS } from './services/sms/templates';
// 省级数据交换 (issue 23 part 5): the 办件信息 records, their collector and sender; case numbers per city
export { collectExchangeRecords, configureExchange, exchangeSettings, maskName, maskIdNumber, EXCHANGE_SCHEMA, type ExchangeSettings } from './services/exchange/records';
export { sendDueExchange, exchangeSignature, DEFAULT_EXCHANGE_LIMITS, type ExchangeLimits } from './services/exchange/sender';
export { nextCaseNo, matterShortCode } from './services/case-numbers';
// issue #24: the callers' cache (docs/security.md)
export { SESSION_CACHE_MS } from './services/session-cache';
export { sweepPending, pendingSettled } from './services/step-effects';
export { loadCalendar, refreshCalendar, startCalendarSync, CALENDAR_SYNC_MS, type CalendarSync } from './services/calendar';
export { leanDocument, insertCaseLean, updateCaseLean, leanWriteCounts } from './services/lean-writes';
