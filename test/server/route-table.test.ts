/**
 * The route table drives both the router and the OpenAPI document: every route the server
 * answers is in the document with who may call it, every answer names a type of the shared
 * contract, and a route that does not say who may call it cannot be registered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS } from '@lianban/runtime/contract';
import { API_ROUTES, featureRoutes, openApiDocument, openApiPath, PUBLIC_ROUTES, routerFor, seedDemoAccounts, type Route } from '@lianban/server';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './helpers';

const CONTRACT = path.join(import.meta.dirname, '../../runtime/src/contract');

describe('the route table', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ seed: false }); });
  afterAll(async () => { await s?.close(); });

  it('should print every registered route into the document with its roles', () => {
    // given
    const doc = openApiDocument() as { paths: Record<string, Record<string, { 'x-roles': string[]; description: string }>> };
    const routers = [...featureRoutes(s.models, s.db.connection!), routerFor(PUBLIC_ROUTES, { db: s.db, document: {} })];
    const registered = routers.flatMap((r) => r.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => ({ method: m.toLowerCase(), path: String(layer.path) }))));
    // then
    expect(registered.length).toBe(API_ROUTES.length);
    for (const { method, path: koaPath } of registered) {
      const route = API_ROUTES.find((r) => r.method === method && r.path === koaPath)!;
      expect(route, `${method} ${koaPath} in the table`).toBeDefined();
      const op = doc.paths[openApiPath(koaPath)]?.[method];
      expect(op, `${method} ${koaPath} in the document`).toBeDefined();
      expect(op!['x-roles']).toEqual([...ACCESS[route.who].roles]);
      expect(op!.description).toContain(`调用方：${route.who}`);
    }
  });

  it('should document the success status the route answers with', async () => {
    const doc = (await s.agent().get('/api/v1/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths['/cases'].post.responses)).toContain('201');
    expect(doc.paths['/cases'].post.responses['201']['x-contract-type']).toBe('CaseCreated');
    expect(doc.paths['/cases'].post.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.paths['/outbox'].get.security).toEqual([{ apiKey: [] }]);
  });

  it('should name only answer types the shared contract declares', () => {
    const source = fs.readdirSync(CONTRACT).map((f) => fs.readFileSync(path.join(CONTRACT, f), 'utf8')).join('\n');
    for (const route of API_ROUTES) {
      if (!route.answer) continue;
      const name = route.answer.replace(/\[\]$/, '');
      expect(source, `${route.method} ${route.path} answers ${name}`).toMatch(new RegExp(`export (interface|type) ${name}\\b`));
    }
  });

  it('should refuse to register a route that does not say who may call it', () => {
    const handler = () => {};
    const withoutWho = { method: 'get', path: '/x', summary: 'x', handler } as unknown as Route<object>;
    const unknownWho = { method: 'get', path: '/x', summary: 'x', who: 'everyone', handler } as unknown as Route<object>;
    expect(() => routerFor([withoutWho], {})).toThrow(/GET \/x: who may call is not declared/);
    expect(() => routerFor([unknownWho], {})).toThrow(/who may call is not declared/);
  });

  it('should enforce who may call before the handler runs', async () => {
    // given a signed-in applicant and a department-system-only route
    await seedDemoAccounts(s.models, DEMO_PASSWORD);
    const applicant = await s.login('luan.applicant');
    // then
    await applicant.get('/api/v1/outbox').expect(401);
    await applicant.get('/api/v1/admin/users').expect(403);
    await s.agent().get('/api/v1/me').expect(401);
  });
});

