/** Materials: uploading a file to a case (multipart) and downloading it again. */
import multer from '@koa/multer';
import { ApiError } from '../http/errors';
import { actorOf, requireUser } from '../http/session';
import { MAX_ATTACHMENT_BYTES, openAttachment, storeAttachment } from '../services/attachments';
import type { FeatureRoute } from './deps';

// Browsers send UTF-8 file names without saying so (Chinese names would come out as mojibake).
const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_ATTACHMENT_BYTES + 1, files: 1, fields: 5 } });

export const ATTACHMENT_ROUTES: FeatureRoute[] = [
  {
    method: 'post', path: '/cases/:id/attachments', summary: '上传材料（multipart/form-data：file、material；工作人员可扫描上传纸质材料）', who: 'applicant/staff', answer: 'Attachment', status: 201,
    handler: async (ctx, { models, conn, scanner, quotas }) => {
      try {
        await upload.single('file')(ctx, async () => {});
      } catch (err) {
        if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE') throw new ApiError(413, 'too-large', '文件不能超过 10 MB');
        throw new ApiError(400, 'bad-upload', '上传内容格式不正确（需 multipart/form-data，字段 file）');
      }
      const file = (ctx.request as unknown as { file?: multer.MulterFile }).file;
      const material = (ctx.request as unknown as { body?: { material?: string } }).body?.material;
      ctx.body = await storeAttachment(models, conn, scanner, requireUser(ctx), ctx.params.id!, file, typeof material === 'string' ? material.slice(0, 60) : undefined, actorOf(ctx), quotas);
    },
  },
  {
    method: 'get', path: '/attachments/:id', summary: '下载材料', who: 'owner/staff/admin',
    handler: async (ctx, { models, conn }) => {
      const file = await openAttachment(models, conn, requireUser(ctx), ctx.params.id!, actorOf(ctx));
      ctx.type = file.contentType;
      ctx.length = file.size;
      ctx.attachment(file.name);
      ctx.body = file.stream;
    },
  },
];
