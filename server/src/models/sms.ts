/**
 * SMS (issue 23 part 2): the city's template settings, the SMS outbox (one document per message,
 * its attempts and the provider's answer) and the per-number send budget (keyed by a hash of the
 * number). services/sms/ works with them.
 */
import { Schema } from 'mongoose';

/** The kinds of message a city registers a provider template for. */
export type SmsKind = 'receipt' | 'correction' | 'promise-due' | 'completion' | 'remind' | 'overdue';

export interface SmsTemplateEntry {
  kind: SmsKind;
  /** The provider's template code (阿里云 `SMS_…`, 腾讯云 the numeric TemplateId); '' = not registered yet. */
  code: string;
  /** The template's parameter names, in the provider's order (腾讯云 takes them positionally). */
  params: string[];
  enabled: boolean;
}

export interface SmsSettingsDoc {
  _id: string; // tenant
  templates: SmsTemplateEntry[];
  updatedAt: Date;
  updatedBy: string;
}

export type SmsStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dropped';

export interface SmsAttempt { at: Date; ok: boolean; code: string; message?: string }

export interface SmsMessageDoc {
  tenant: string;
  /** The notification it was made from: unique, so a notification gives one SMS whoever enqueues it. */
  notification: string;
  user: string;
  caseId: string;
  caseNo: string | null;
  kind: SmsKind;
  /** The 11-digit number (needed to send; shown masked). */
  phone: string;
  templateCode: string;
  params: Record<string, string>;
  status: SmsStatus;
  /** Attempts made at the provider (a delay for the rate limit is not one). */
  attempts: number;
  nextAttemptAt: Date;
  /** While `sending`: when another process may take it over (the sender died). */
  lockedUntil: Date | null;
  /** Why it was dropped or failed: `rate-limited-daily`, `no-phone`, `no-template`, or the provider's code. */
  reason: string | null;
  providerMessageId: string | null;
  /** The provider's answer code of the last attempt (`OK`, `Ok`, `isv.BUSINESS_LIMIT_CONTROL`, …). */
  responseCode: string | null;
  history: SmsAttempt[];
  createdAt: Date;
  sentAt: Date | null;
}

export interface SmsBudgetDoc {
  _id: string; // sha256 of the number
  /** The China-time day `count` is for (YYYY-MM-DD). */
  day: string;
  count: number;
  /** The next send to this number may not go before this. */
  nextAt: Date;
}

const templateEntry = new Schema<SmsTemplateEntry>({
  kind: { type: String, required: true }, code: { type: String, default: '' }, params: { type: [String], default: [] }, enabled: { type: Boolean, default: true },
}, { _id: false });

export const smsSettingsSchema = new Schema<SmsSettingsDoc>({
  _id: { type: String, required: true },
  templates: { type: [templateEntry], default: [] },
  updatedAt: Date,
  updatedBy: String,
}, { versionKey: false });

export const smsMessageSchema = new Schema<SmsMessageDoc>({
  tenant: { type: String, required: true },
  notification: { type: String, required: true },
  user: String, caseId: String, caseNo: String, kind: String, phone: String, templateCode: String,
  params: { type: Schema.Types.Mixed, default: {} },
  status: { type: String, default: 'pending' },
  attempts: { type: Number, default: 0 },
  nextAttemptAt: { type: Date, required: true },
  lockedUntil: { type: Date, default: null },
  reason: { type: String, default: null },
  providerMessageId: { type: String, default: null },
  responseCode: { type: String, default: null },
  history: { type: [{ at: Date, ok: Boolean, code: String, message: String, _id: false }], default: [] },
  createdAt: { type: Date, required: true },
  sentAt: { type: Date, default: null },
}, { versionKey: false });
smsMessageSchema.index({ notification: 1 }, { unique: true });
smsMessageSchema.index({ status: 1, nextAttemptAt: 1 });
smsMessageSchema.index({ tenant: 1, createdAt: -1 });

export const smsBudgetSchema = new Schema<SmsBudgetDoc>({
  _id: { type: String, required: true },
  day: { type: String, required: true },
  count: { type: Number, required: true },
  nextAt: { type: Date, required: true },
}, { versionKey: false });
