/** Case numbering per city and the provincial exchange (issue 23 part 5), as the city admin sees them. */

/** `GET`/`PUT /admin/case-numbers`: the city's 办件编号 format. */
export interface CaseNoSettings {
  /** The format in force, e.g. `{prefix}{yyyy}{MM}{dd}{seq:4}`. */
  pattern: string;
  defaultPattern: string;
  /** The city's prefix (`{prefix}`), e.g. `LA`. */
  prefix: string;
  /** Today's first number under the format (`{matter}` shown as `TX`). */
  example: string;
}

/** `GET /admin/exchange`: one 办件信息 record and its delivery to the provincial platform. */
export interface ExchangeRecordView {
  /** The record id the platform de-duplicates on: `<city>:<case no>:<event>`. */
  id: string;
  caseId: string;
  caseNo: string;
  /** 受理, an item's 办结, the case's 办结. */
  event: 'accepted' | 'item-ended' | 'case-ended';
  status: 'pending' | 'sending' | 'acked' | 'failed';
  attempts: number;
  /** The platform's receipt id once acknowledged. */
  receiptId: string | null;
  /** The last answer: HTTP status, or `network`, `timeout`, `no-receipt`. */
  responseCode: string | null;
  reason: string | null;
  implCode: string | null;
  createdAt: string;
  ackedAt: string | null;
  nextAttemptAt: string | null;
}

/** `GET /admin/exchange` besides the records: whether the exchange is on. */
export interface ExchangeOverview {
  enabled: boolean;
  /** The platform's address (no credentials), when on. */
  endpoint: string | null;
  records: ExchangeRecordView[];
}
