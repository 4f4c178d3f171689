/** Cases, tasks, messages and the outbox (API.md). Controllers: validate, authorize, delegate. */
import Router from '@koa/router';
import type { Connection } from 'mongoose';
import type { Models } from '../models';
import { ApiError } from '../http/errors';
import { actorOf, requireRole, requireSystem, requireUser, type CallerState } from '../http/session';
import { bodyValidator } from '../http/validate';
import multer from '@koa/multer';
import * as cases from '../services/cases';
import { visibleCase } from '../services/case-access';
import { MAX_ATTACHMENT_BYTES, noScanner, openAttachment, storeAttachment, type Scanner } from '../services/attachments';
import * as tasks from '../services/tasks';
import { listNotifications, markRead } from '../services/notify';

const KEY = { type: 'string', pattern: '^[a-z][a-z0-9-]{1,59}$' };
const DATA = { type: 'object', additionalProperties: true, maxProperties: 500 };
/** A client-chosen key (e.g. a UUID per submission attempt) making POST /cases safe to retry (also in the OpenAPI document). */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._-]{1,100}$';
const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

const submitBody = bodyValidator<cases.SubmitInput>({
  type: 'object', required: ['matter', 'form', 'data'],
  properties: { matter: KEY, form: KEY, data: DATA, draft: { type: 'boolean' }, promised: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 100 } } },
}, 'CaseSubmission');
const draftBody = bodyValidator<{ data: Record<string, unknown> }>({ type: 'object', required: ['data'], properties: { data: DATA } }, 'Draft');
const completeBody = bodyValidator<tasks.CompleteBody>({
  type: 'object',
  properties: { outcome: { type: 'string', maxLength: 60 }, data: { type: 'object', additionalProperties: true, maxProperties: 100 }, comment: { type: 'string', maxLength: 2000 } },
}, 'TaskCompletion');
const messageBody = bodyValidator<{ name: string; caseNo: string; variables?: Record<string, unknown> }>({
  type: 'object', required: ['name', 'caseNo'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, caseNo: { type: 'string', pattern: '^[A-Z]{2}\\d{12}$' }, variables: { type: 'object', additionalProperties: true, maxProperties: 100 } },
}, 'Message');

function completer(ctx: { state: CallerState }): tasks.Completer {
  if (ctx.state.system) return { system: ctx.state.system };
  if (ctx.state.user) return { user: ctx.state.user };
  throw new ApiError(401, 'unauthenticated', '请先登录（或登录已超时）');
}

// Browsers send UTF-8 file names without saying so (Chinese names would come out as mojibake).
const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_ATTACHMENT_BYTES + 1, files: 1, fields: 5 } });

export function caseRoutes(models: Models, conn: Connection, scanner: Scanner = noScanner): Router {
  const router = new Router();
  router.post('/cases', async (ctx) => {
    const user = requireRole(ctx, 'applicant');
    const key = ctx.get('idempotency-key') || undefined;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new ApiError(400, 'bad-idempotency-key', 'Idempotency-Key 须为 1–100 个字母、数字、点、下划线或连字符', { errors: [{ path: 'Idempotency-Key', message: '格式不正确' }] });
    }
    const { replayed, ...created } = await cases.createCase(models, conn, user, submitBody(ctx), ctx.ip, key) as Awaited<ReturnType<typeof cases.createCase>> & { replayed?: true };
    // A retry of a request that already created its case: the same answer, marked as a replay.
    if (replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = 201;
    ctx.body = created;
  });
  router.get('/cases', async (ctx) => {
    const user = requireUser(ctx);
    const status = typeof ctx.query.status === 'string' ? ctx.query.status : undefined;
    ctx.body = await cases.listCases(models, user, { status });
  });
  router.get('/cases/:id', async (ctx) => {
    ctx.body = await cases.getCase(models, requireUser(ctx), ctx.params.id!);
  });
  router.put('/cases/:id', async (ctx) => {
    const user = requireRole(ctx, 'applicant');
    await visibleCase(models, user, ctx.params.id!); // another's id answers 404 whatever the body
    ctx.body = await cases.updateDraft(models, user, ctx.params.id!, draftBody(ctx).data);
  });
  router.post('/cases/:id/submit', async (ctx) => {
    const user = requireRole(ctx, 'applicant');
    ctx.body = await cases.submitDraft(models, conn, user, ctx.params.id!, ctx.ip);
  });
  router.post('/cases/:id/reveal', async (ctx) => {
    const user = requireRole(ctx, 'staff');
    ctx.body = await cases.revealCase(models, user, ctx.params.id!, actorOf(ctx));
  });
  router.get('/cases/:id/flow', async (ctx) => {
    ctx.body = await cases.caseFlow(models, requireUser(ctx), ctx.params.id!);
  });

  router.post('/cases/:id/attachments', async (ctx, next) => {
    requireRole(ctx, 'applicant');
    try {
      await upload.single('file')(ctx, async () => {});
    } catch (err) {
      if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE') throw new ApiError(413, 'too-large', '文件不能超过 10 MB');
      throw new ApiError(400, 'bad-upload', '上传内容格式不正确（需 multipart/form-data，字段 file）');
    }
    await next();
  }, async (ctx) => {
    const file = (ctx.request as unknown as { file?: multer.MulterFile }).file;
    const material = (ctx.request as unknown as { body?: { material?: string } }).body?.material;
    ctx.status = 201;
    ctx.body = await storeAttachment(models, conn, scanner, requireUser(ctx), ctx.params.id!, file, typeof material === 'string' ? material.slice(0, 60) : undefined, actorOf(ctx));
  });
  router.get('/attachments/:id', async (ctx) => {
    const file = await openAttachment(models, conn, requireUser(ctx), ctx.params.id!, actorOf(ctx));
    ctx.type = file.contentType;
    ctx.length = file.size;
    ctx.attachment(file.name);
    ctx.body = file.stream;
  });

  router.get('/notifications', async (ctx) => {
    ctx.body = await listNotifications(models, requireUser(ctx));
  });
  router.post('/notifications/:id/read', async (ctx) => {
    await markRead(models, requireUser(ctx), ctx.params.id!);
    ctx.body = { ok: true };
  });

  router.get('/tasks', async (ctx) => {
    const user = requireUser(ctx);
    const q = (k: string) => (typeof ctx.query[k] === 'string' ? (ctx.query[k] as string) : undefined);
    ctx.body = await tasks.listTasks(models, user, { state: q('state'), department: q('department'), q: q('q') });
  });
  router.post('/tasks/:id/claim', async (ctx) => {
    ctx.body = await tasks.claimTask(models, conn, requireRole(ctx, 'staff'), ctx.params.id!, true, ctx.ip);
  });
  router.post('/tasks/:id/unclaim', async (ctx) => {
    ctx.body = await tasks.claimTask(models, conn, requireRole(ctx, 'staff'), ctx.params.id!, false, ctx.ip);
  });
  router.post('/tasks/:id/complete', async (ctx) => {
    const who = completer(ctx);
    const tenant = who.user?.tenant ?? who.system!.tenant;
    ctx.body = await tasks.completeTask(models, conn, who, tenant, ctx.params.id!, completeBody(ctx), ctx.ip);
  });

  router.post('/messages', async (ctx) => {
    ctx.body = await tasks.correlateMessage(models, conn, requireSystem(ctx), messageBody(ctx), ctx.ip);
  });
  router.get('/outbox', async (ctx) => {
    ctx.body = await tasks.listOutbox(models, requireSystem(ctx), actorOf(ctx));
  });
  router.post('/outbox/:id/ack', async (ctx) => {
    await tasks.ackOutbox(models, requireSystem(ctx), ctx.params.id!, actorOf(ctx));
    ctx.body = { ok: true };
  });
  return router;
}
