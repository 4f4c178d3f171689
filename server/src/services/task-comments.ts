/**
 * Comments per task (办理意见 without completing): a staff member working a task adds a remark,
 * optionally pointing at files of the case (uploaded first with `POST /cases/:id/attachments`).
 * Stored on the case (`comments`), written to its timeline and the audit in one transaction, and
 * shown in the case view to everyone who may see the case.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { sanitizeText } from '@lianban/runtime';
import type { CaseComment, Models } from '../models';
import { caseAttachments } from './attachments';
import { audit } from './audit';
import type { SessionUser } from './auth';
import { mutateCase, RevisionConflict, type CaseWithId } from './case-store';
import { DomainError } from './errors';

export const MAX_COMMENT_CHARS = 2000;
export const MAX_COMMENT_FILES = 20;
/** Comments a case keeps at most (a bound on what one case document carries). */
export const MAX_CASE_COMMENTS = 500;

export interface CommentInput { text: string; attachments?: string[] }

/** `POST /tasks/:id/comments`: 201 with the comment · 404 not one's department's · 409 done, or claimed by another · 422. */
export async function addTaskComment(models: Models, conn: Connection, user: SessionUser, taskId: string, input: CommentInput, ip?: string) {
  const text = sanitizeText(input.text ?? '').trim();
  if (!text) throw new DomainError('invalid', '请填写意见内容', { errors: [{ path: 'text', message: '必填' }] });
  if ([...text].length > MAX_COMMENT_CHARS) throw new DomainError('invalid', `意见不能超过 ${MAX_COMMENT_CHARS} 字`, { errors: [{ path: 'text', message: '过长' }] });
  const fileIds = [...new Set(input.attachments ?? [])].slice(0, MAX_COMMENT_FILES);
  const load = () => models.Case.findOne({ tenant: user.tenant, 'tasks.id': taskId }).lean() as Promise<CaseWithId | null>;
  return mutateCase(models, load, async (doc) => {
    const task = doc.tasks.find((t) => t.id === taskId);
    if (!task || !user.roles.includes('staff') || !user.departments.includes(task.department)) throw new DomainError('not-found', '待办不存在');
    if (task.state !== 'open' && task.state !== 'claimed') throw new DomainError('already-done', '该待办已办结，不能再添加意见');
    if (task.state === 'claimed' && task.claimedBy !== user.username) throw new DomainError('claimed', `该待办已由 ${task.claimedBy} 认领`);
    if ((doc.comments?.length ?? 0) >= MAX_CASE_COMMENTS) throw new DomainError('invalid', '该办件的意见已达上限', { errors: [{ path: 'text', message: '已达上限' }] });
    const files = fileIds.length ? await caseAttachments(conn, String(doc._id)) : [];
    const missing = fileIds.filter((id) => !files.some((f) => f.fileId === id));
    if (missing.length) {
      throw new DomainError('invalid', '附件须是本办件已上传的文件', { errors: missing.map((id) => ({ path: 'attachments', message: `文件 ${id} 不属于本办件` })) });
    }
    const now = new Date();
    const comment: CaseComment = {
      id: randomUUID(), taskId, taskName: task.name, at: now, author: user.username, authorName: user.displayName || undefined, department: task.department,
      text, attachments: fileIds.map((id) => ({ fileId: id, name: files.find((f) => f.fileId === id)!.name })),
    };
    await conn.transaction(async (session) => {
      const res = await models.Case.updateOne({ _id: doc._id, rev: doc.rev }, {
        $push: {
          comments: comment,
          timeline: { at: now, actor: user.username, action: 'task.commented', elementId: task.elementId, detail: `${task.name}：${text.slice(0, 200)}${comment.attachments.length ? `（附件 ${comment.attachments.length} 个）` : ''}` },
        },
        $inc: { rev: 1 },
      }, { session });
      if (res.matchedCount === 0) throw new RevisionConflict();
      await audit(models, { tenant: user.tenant, name: user.username, ip }, 'task.comment', `task:${taskId}`, { caseNo: doc.no, text, attachments: fileIds }, session);
    });
    return { ...comment, at: now.toISOString() };
  });
}

