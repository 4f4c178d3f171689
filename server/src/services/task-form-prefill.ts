/**
 * The cross-check of a task form prefilled from the application (runtime `prefillDiffs`, e.g.
 * 常州 附件5): a changed field marked `check: "refuse"` (姓名, 公民身份号码) is refused with 422
 * naming it; changes of `check: "flag"` fields are accepted and returned as one Chinese line for
 * the case timeline, so the staff who take the next step see them. The application's own data
 * is never touched (the task form is stored beside it).
 */
import { prefillDiffs, type FieldSchema } from '@lianban/runtime';
import type { MatterVersionDoc } from '../models';
import { DomainError } from './errors';

const shown = (v: unknown) => (v === undefined || v === null || v === '' ? '（空）' : typeof v === 'string' ? v : JSON.stringify(v));

/** Throws 422 for refused changes; the flag line for flagged ones, else undefined. */
export function crossCheckTaskForm(matter: MatterVersionDoc, formKey: string, application: Record<string, unknown> | undefined, sent: Record<string, unknown>): string | undefined {
  const form = matter.forms.find((f) => f.key === formKey);
  if (!form) return undefined;
  const diffs = prefillDiffs(form.schema as FieldSchema, application, sent);
  const refused = diffs.filter((d) => d.check === 'refuse');
  if (refused.length) {
    throw new DomainError('invalid', `${refused.map((d) => d.title).join('、')}须与已审批的申请表一致`, {
      errors: refused.map((d) => ({ path: d.path, message: `须与申请表一致（申请表为「${shown(d.before)}」）；如申请表有误，请联系经办窗口更正` })),
    });
  }
  const flagged = diffs.filter((d) => d.check === 'flag');
  if (!flagged.length) return undefined;
  return `与申请表不一致，请核实：${flagged.map((d) => `${d.title}「${shown(d.before)}」→「${shown(d.after)}」`).join('；')}`.slice(0, 2000);
}
