/** The append-only audit log: every state change and every full-PII read (who, what, when, from where). */
import { Schema } from 'mongoose';

export interface AuditDoc {
  tenant: string;
  at: Date;
  /** Username, `apikey:<prefix>` for a department system, or `system`. */
  actor: string;
  action: string; // e.g. "auth.login", "case.submit", "case.reveal"
  target?: string; // e.g. "case:CZ202611210001", "user:changzhou.hrss"
  ip?: string;
  /** The request that did it (its `X-Request-Id`), to find its log lines. */
  requestId?: string;
  details?: Record<string, unknown>;
}

export const auditSchema = new Schema<AuditDoc>({
  tenant: { type: String, required: true },
  at: { type: Date, required: true },
  actor: { type: String, required: true },
  action: { type: String, required: true },
  target: String,
  ip: String,
  requestId: String,
  details: Schema.Types.Mixed,
}, { versionKey: false });
auditSchema.index({ tenant: 1, at: -1 });
auditSchema.index({ tenant: 1, target: 1, at: -1 });
// Append-only: no update or delete paths through the model.
for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'deleteOne', 'deleteMany', 'findOneAndDelete', 'replaceOne'] as const) {
  auditSchema.pre(op, function () {
    throw new Error(`the audit log is append-only (${op} refused)`);
  });
}
