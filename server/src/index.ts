/**
 * @lianban/server — the Koa HTTP API (API.md), persistence through mongoose, and the web apps.
 *
 *   import { startServer, configFromEnv } from '@lianban/server';
 *   const server = await startServer(configFromEnv());   // listens, opens the database
 *   console.log(server.url);  await server.close();
 *
 * Layout: `config.ts` (environment) · `app.ts` (middleware and routes) · `routes/` (controllers)
 * · `db/` (the database cascade; the embedded server itself is `@lianban/embedded-db`).
 */
export { configFromEnv, type Config } from './config';
export { createApp, featureRoutes } from './app';
export { OPERATIONS, openApiDocument, openApiPath } from './openapi';
export { openDatabase, type Database, type DbMode } from './db/connection';
export { startServer, type RunningServer } from './server';
export { createModels, type Models } from './models';
export { seedDemoAccounts, seedDemoTemplates, DEMO_CITIES } from './services/demo';
export { startScheduler, type Scheduler } from './services/scheduler';
export { runOnce, type RunOnceOptions } from './services/leases';
export { ApiError, errorMiddleware } from './http/errors';
