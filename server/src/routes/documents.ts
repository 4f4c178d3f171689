/** Official documents of a case (PDF), their public verification, and the application printed as PDF (docs/documents.md). */
import { actorOf, requireUser } from '../http/session';
import { applicationPdf } from '../services/application-pdf';
import { listDocuments, openDocument, verifyToken } from '../services/documents';
import { DomainError } from '../services/errors';
import { throttle } from '../services/public-progress';
import type { FeatureRoute } from './deps';

/** Verifications per client address in the public lookups' window (15 minutes). */
export const VERIFY_LIMIT = 60;

/** `attachment; filename*=UTF-8''…` for a Chinese file name. */
const pdfName = (name: string) => `attachment; filename="document.pdf"; filename*=UTF-8''${encodeURIComponent(`${name}.pdf`)}`;

export const DOCUMENT_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/cases/:id/documents', summary: '办件的文书（受理回执、不予批准决定、办结通知书等）', who: 'owner/staff/admin', answer: 'CaseDocument[]',
    handler: async (ctx, { models, conn }) => { ctx.body = await listDocuments({ models, conn }, requireUser(ctx), ctx.params.id!); },
  },
  {
    method: 'get', path: '/cases/:id/application.pdf', summary: '打印申请表（PDF，按本市份数，不含系统补充项；记入审计）', who: 'owner/staff/admin',
    handler: async (ctx, { models }) => {
      const printed = await applicationPdf(models, requireUser(ctx), ctx.params.id!, actorOf(ctx));
      ctx.type = 'application/pdf';
      ctx.set('Content-Disposition', pdfName(`申请表-${printed.caseNo}`));
      ctx.set('Cache-Control', 'no-store');
      ctx.body = printed.pdf;
    },
  },
  {
    method: 'get', path: '/documents/:id', summary: '下载文书（PDF，记入审计）', who: 'owner/staff/admin',
    handler: async (ctx, { models }) => {
      const doc = await openDocument(models, requireUser(ctx), ctx.params.id!, actorOf(ctx));
      ctx.type = 'application/pdf';
      ctx.set('Content-Disposition', pdfName(`${doc.title}-${doc.caseNo}`));
      ctx.set('Cache-Control', 'no-store');
      ctx.body = doc.pdf;
    },
  },
  {
    method: 'get', path: '/verify/:token', summary: '核验文书真伪（无需登录；不含个人信息；按来源地址限频）', who: 'anyone', answer: 'DocumentVerification',
    handler: async (ctx, { models }) => {
      ctx.set('Cache-Control', 'no-store');
      // per client address, as /public/progress (its limiter, its own counter): tokens cannot be tried in bulk
      await throttle(models, ctx.ip, Date.now(), 'verify', VERIFY_LIMIT).catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'too-many-attempts') ctx.set('Retry-After', String(e.details.retryAfter));
        throw e;
      });
      ctx.body = await verifyToken(models, String(ctx.params.token ?? '').slice(0, 400));
    },
  },
];
