/**
 * 好差评 records (services/evaluation.ts): one per case and one per linked item at most (the
 * unique index on `caseId` + `scope`), with the follow-ups a 差评 opens (整改, 回访).
 */
import { Schema } from 'mongoose';

export interface EvaluationFollowUpDoc {
  kind: 'rectify' | 'revisit';
  department: string;
  state: 'open' | 'done';
  dueAt: Date;
  doneAt?: Date;
  doneBy?: string;
  note?: string;
}

export interface EvaluationDoc {
  tenant: string;
  caseId: string;
  caseNo: string;
  matter: string;
  matterTitle: string;
  /** `case`, or `item:<key>` for one linked item. */
  scope: string;
  item?: string;
  itemTitle?: string;
  score: number;
  indicators: Record<string, number>;
  reasons: string[];
  comment?: string;
  channel: 'portal' | 'sms' | 'window';
  /** Who gave it: the applicant's username, the window staff member's, or `sms`. */
  by: string;
  department: string;
  at: Date;
  followUps: EvaluationFollowUpDoc[];
  /** Open follow-ups left (0 when all done): the admin's list filters on it. */
  openFollowUps: number;
}

export const evaluationSchema = new Schema<EvaluationDoc>({
  tenant: { type: String, required: true },
  caseId: { type: String, required: true },
  caseNo: String,
  matter: String,
  matterTitle: String,
  scope: { type: String, required: true },
  item: String,
  itemTitle: String,
  score: { type: Number, required: true, min: 1, max: 5 },
  indicators: { type: Schema.Types.Mixed, default: {} },
  reasons: [String],
  comment: String,
  channel: { type: String, enum: ['portal', 'sms', 'window'], required: true },
  by: String,
  department: String,
  at: Date,
  followUps: [{ kind: String, department: String, state: String, dueAt: Date, doneAt: Date, doneBy: String, note: String, _id: false }],
  openFollowUps: { type: Number, default: 0 },
}, { versionKey: false });
evaluationSchema.index({ caseId: 1, scope: 1 }, { unique: true });
evaluationSchema.index({ tenant: 1, at: -1 });
evaluationSchema.index({ tenant: 1, openFollowUps: 1, at: -1 });
