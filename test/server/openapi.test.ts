import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureRoutes, OPERATIONS, openApiPath } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

describe('the OpenAPI document', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ seed: false }); });
  afterAll(async () => { await s?.close(); });

  it('should describe exactly the routes the server answers', async () => {
    const served = new Set<string>(['get /health', 'get /ready', 'get /metrics', 'get /openapi.json']);
    for (const router of featureRoutes(s.models, s.db.connection!)) {
      for (const layer of router.stack) {
        for (const method of layer.methods.filter((m) => m !== 'HEAD')) served.add(`${method.toLowerCase()} ${layer.path}`);
      }
    }
    const described = new Set(OPERATIONS.map(([method, path]) => `${method} ${path}`));
    expect([...served].filter((r) => !described.has(r)), 'routes missing from the document').toEqual([]);
    expect([...described].filter((r) => !served.has(r)), 'documented routes the server lacks').toEqual([]);
  });

  it('should be served with the enforced request schemas', async () => {
    const doc = (await s.agent().get('/api/v1/openapi.json').expect(200)).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain(openApiPath('/cases/:id'));
    const login = doc.paths['/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/Login');
    expect(doc.components.schemas.Login).toMatchObject({ type: 'object', required: ['username', 'password'], additionalProperties: false });
    for (const [, path, , , body] of OPERATIONS) {
      if (body) expect(doc.components.schemas[body], `${path} body ${body}`).toBeDefined();
    }
  });
});
