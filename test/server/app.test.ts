import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { configFromEnv, createApp, type Database } from '@lianban/server';

const noDatabase: Database = { mode: null, connection: null, problem: '未配置数据库（MONGODB_URI 未设置）', close: async () => {} };

function app(db: Database = noDatabase) {
  return createApp({ config: { ...configFromEnv({}), webRoot: '/nonexistent' }, db }).callback();
}

describe('the HTTP app', () => {
  it('should report an unavailable database on /health instead of failing', async () => {
    const res = await request(app()).get('/api/v1/health').expect(200);
    expect(res.body).toEqual({ status: 'degraded', db: { mode: null, available: false, message: '未配置数据库（MONGODB_URI 未设置）' } });
  });

  it('should answer every other API route with 503 in Chinese while the database is unavailable', async () => {
    const res = await request(app()).post('/api/v1/auth/login').send({ username: 'a', password: 'b' }).expect(503);
    expect(res.body.error.code).toBe('db-unavailable');
    expect(res.body.error.message).toContain('数据库不可用');
  });

  it('should reject a malformed JSON body with 400, not 500', async () => {
    const res = await request(app()).post('/api/v1/health').set('content-type', 'application/json').send('{bad').expect(400);
    expect(res.body.error.code).toBe('malformed-json');
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('should reject a JSON body over the size limit with 413', async () => {
    const big = JSON.stringify({ x: 'a'.repeat(3 * 1024 * 1024) });
    const res = await request(app()).post('/api/v1/health').set('content-type', 'application/json').send(big).expect(413);
    expect(res.body.error.code).toBe('too-large');
  });

  it('should compress large responses for clients that accept it', async () => {
    const res = await request(app()).get('/api/v1/openapi.json').set('accept-encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('should send security headers', async () => {
    const res = await request(app()).get('/api/v1/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('should say in Chinese how to build the web apps when they are missing', async () => {
    const res = await request(app()).get('/').expect(200);
    expect(res.text).toContain('前端页面尚未构建');
    expect(res.text).toContain('npm start');
  });
});

describe('configuration from the environment', () => {
  it('should default to port 3000 and ./data', () => {
    const c = configFromEnv({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('./data');
    expect(c.mongodbUri).toBeUndefined();
    expect(c.demo).toBeUndefined();
  });

  it('should read PORT, MONGODB_URI, LIANBAN_DATA_DIR and LIANBAN_DEMO', () => {
    const c = configFromEnv({ PORT: '8080', MONGODB_URI: 'mongodb://db:27017/lianban', LIANBAN_DATA_DIR: '/var/lib/lianban', LIANBAN_DEMO: '1' });
    expect(c).toMatchObject({ port: 8080, mongodbUri: 'mongodb://db:27017/lianban', dataDir: '/var/lib/lianban', demo: true });
  });

  it('should refuse a PORT that is not a port number', () => {
    expect(() => configFromEnv({ PORT: 'abc' })).toThrow(/PORT/);
  });
});
