/**
 * Error answers that tell a client whether to retry: a write race the server ran out of retries
 * for, or no database server to send to, is 503 try-again (nothing was written); anything
 * unexpected is 500 without internals.
 */
import http from 'node:http';
import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { EngineError } from '@lianban/runtime';
import { FormSchemaError } from '@lianban/runtime/validate';
import { DomainError, ERROR_STATUS, errorMiddleware, RevisionConflict } from '@lianban/server';

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

  it('should answer the engine\'s refusals with their documented status: 404 for a wait not open, 422 for refused input, 409 for an ended case', async () => {
    const cases: [EngineError, number][] = [
      [new EngineError('unknown-wait', '没有编号为 w1 的待办（可能已办结或已取消）'), 404],
      [new EngineError('invalid-outcome', '任务 t 的办理结果必须是：approved'), 422],
      [new EngineError('invalid-input', '流程变量必须是对象'), 422],
      [new EngineError('not-active', '办件流程已结束（completed）'), 409],
      [new EngineError('definition-mismatch', '办件的流程版本与所给流程定义不一致'), 409],
    ];
    for (const [err, status] of cases) {
      const res = await request(appThrowing(err)).post('/api/v1/tasks/x/complete').expect(status);
      expect(res.body).toEqual({ error: { code: err.code, message: err.message } });
    }
  });

  it('should map a service\'s domain error by its code, with its details beside code and message', async () => {
    const err = new DomainError('invalid', '申请表有 1 处需要修改', { errors: [{ path: 'name', message: '必填' }] });
    const res = await request(appThrowing(err)).post('/api/v1/cases').expect(422);
    expect(res.body).toEqual({ error: { code: 'invalid', message: '申请表有 1 处需要修改', errors: [{ path: 'name', message: '必填' }] } });
    expect(ERROR_STATUS['not-draft'].status).toBe(409);
    await request(appThrowing(new DomainError('not-found', '办件不存在'))).get('/api/v1/cases/x').expect(404);
  });

  it('should answer a revision conflict no retry caught with 503 try-again: nothing was written', async () => {
    const res = await request(appThrowing(new RevisionConflict())).post('/api/v1/cases/x/submit').expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.error.code).toBe('try-again');
  });

  it('should answer a published form that no longer compiles with 500 form-broken in Chinese, not its English problems', async () => {
    const res = await request(appThrowing(new FormSchemaError([{ path: 'a', message: 'bad pattern' } as never]))).post('/api/v1/cases').expect(500);
    expect(res.body).toEqual({ error: { code: 'form-broken', message: '已发布的表单无法使用，请联系管理员' } });
  });
});
