/**
 * Error answers that tell a client whether to retry: a write race the server ran out of retries
 * for, or no database server to send to, is 503 try-again (nothing was written); anything
 * unexpected is 500 without internals.
 */
import http from 'node:http';
import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorMiddleware } from '@lianban/server';

function appThrowing(err: unknown) {
  const app = new Koa();
  app.silent = true;
  app.use(errorMiddleware);
  app.use(() => { throw err; });
  return http.createServer(app.callback());
}

describe('error answers', () => {
  it('should answer a transaction that lost a write conflict with 503 try-again and Retry-After', async () => {
    const err = Object.assign(new Error('WriteConflict'), { hasErrorLabel: (l: string) => l === 'TransientTransactionError' });
    const res = await request(appThrowing(err)).get('/api/v1/x').expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.error.code).toBe('try-again');
    expect(res.body.error.message).toMatch(/未生效.*重试/);
  });

  it('should answer an unreachable database with 503 try-again', async () => {
    const err = Object.assign(new Error('Server selection timed out after 5000 ms'), { name: 'MongoServerSelectionError' });
    const res = await request(appThrowing(err)).get('/api/v1/x').expect(503);
    expect(res.body.error.code).toBe('try-again');
  });

  it('should answer a network error in the middle of a write with 500: it may have happened', async () => {
    const err = Object.assign(new Error('connection reset'), { name: 'MongoNetworkError', hasErrorLabel: () => false });
    const res = await request(appThrowing(err)).get('/api/v1/x').expect(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: '服务器内部错误，请稍后重试' } });
  });
});
