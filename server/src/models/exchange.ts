/**
 * The provincial exchange (省级数据交换, issue 23 part 5): one document per 办件信息 record to send
 * to the provincial platform — its JSON as sent, its delivery state and the platform's receipt.
 * The `_id` is the record id the platform de-duplicates on: `<city>:<case no>:<event>`.
 */
import { Schema } from 'mongoose';

export type ExchangeEvent = 'accepted' | 'item-ended' | 'case-ended';
export type ExchangeStatus = 'pending' | 'sending' | 'acked' | 'failed';

export interface ExchangeAttempt { at: Date; ok: boolean; code: string; message?: string }

export interface ExchangeRecordDoc {
  _id: string;
  tenant: string;
  caseId: string;
  caseNo: string;
  event: ExchangeEvent;
  /** The 办件信息 record as sent (docs/integrations.md 「省级数据交换」). */
  payload: Record<string, unknown>;
  status: ExchangeStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** While `sending`: when another process may take it over. */
  lockedUntil: Date | null;
  /** The platform's receipt id (回执编号) once acknowledged. */
  receiptId: string | null;
  /** The last answer: HTTP status, or `network`, `timeout`, `no-receipt`. */
  responseCode: string | null;
  /** Why it failed. */
  reason: string | null;
  history: ExchangeAttempt[];
  createdAt: Date;
  ackedAt: Date | null;
}

export const exchangeRecordSchema = new Schema<ExchangeRecordDoc>({
  _id: { type: String, required: true },
  tenant: { type: String, required: true },
  caseId: String, caseNo: String, event: String,
  payload: { type: Schema.Types.Mixed, required: true },
  status: { type: String, default: 'pending' },
  attempts: { type: Number, default: 0 },
  nextAttemptAt: { type: Date, required: true },
  lockedUntil: { type: Date, default: null },
  receiptId: { type: String, default: null },
  responseCode: { type: String, default: null },
  reason: { type: String, default: null },
  history: { type: [{ at: Date, ok: Boolean, code: String, message: String, _id: false }], default: [] },
  createdAt: { type: Date, required: true },
  ackedAt: { type: Date, default: null },
}, { versionKey: false, minimize: false });
exchangeRecordSchema.index({ status: 1, nextAttemptAt: 1 });
exchangeRecordSchema.index({ tenant: 1, createdAt: -1 });
