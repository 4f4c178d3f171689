/** SMS (issue 23 part 2): the city's templates per kind and the SMS outbox as the admin sees it. */

export type SmsKindName = 'receipt' | 'correction' | 'promise-due' | 'completion' | 'remind' | 'overdue';

/** One template as `PUT /admin/sms/templates` takes it. */
export interface SmsTemplateInput {
  kind: SmsKindName;
  /** The provider's template code ('' = not registered: nothing is sent for this kind). */
  code: string;
  /** Parameter names in the provider's order; only `caseNo`, `link`, `matter`. */
  params: string[];
  enabled?: boolean;
}

/** `GET`/`PUT /admin/sms/templates`. */
export interface SmsTemplateSettings {
  /** `log`, `aliyun` or `tencent` (LIANBAN_SMS_PROVIDER). */
  provider: string;
  allowedParams: string[];
  templates: (Required<SmsTemplateInput> & { label: string; suggestedText: string })[];
  updatedAt: string | null;
  updatedBy: string | null;
}

/** `GET /admin/sms/messages`: one SMS and its delivery state. */
export interface SmsMessageView {
  id: string;
  caseId: string;
  caseNo: string | null;
  kind: string;
  /** Masked: 138****0000. */
  phone: string;
  templateCode: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'dropped';
  attempts: number;
  /** Why it failed or was dropped: the provider's code, `rate-limited-daily`, `no-phone`, `no-template`, `template-disabled`. */
  reason: string | null;
  providerMessageId: string | null;
  responseCode: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
}
