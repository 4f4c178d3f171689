/**
 * Logical sessions (lsid): the transaction each one has open, and the last retryable write it
 * ran, so a retried write (same lsid + txnNumber) gets the first answer instead of running
 * twice. Sessions idle longer than logicalSessionTimeoutMinutes are forgotten.
 */
import { Binary, type Document } from 'bson';
import type { Transaction, Transactions } from './transaction';

export const SESSION_TIMEOUT_MINUTES = 30;

export class Session {
  lastUse = Date.now();
  /** The newest transaction (open, committed or aborted). */
  txn?: Transaction;
  /** Highest txnNumber seen. */
  txnNumber = -1;
  /** The retryable write with number `retry.number` and its reply. */
  retry?: { number: number; reply: Promise<Document> };

  constructor(readonly key: string) {}
}

export class Sessions {
  private readonly all = new Map<string, Session>();

  constructor(private readonly txns: Transactions) {}

  /** The session of an `lsid` document, created on first use. */
  get(lsid: Document): Session {
    const key = sessionKey(lsid);
    let s = this.all.get(key);
    if (!s) this.all.set(key, (s = new Session(key)));
    s.lastUse = Date.now();
    return s;
  }

  /** endSessions / killSessions: aborts their open transactions. */
  end(lsids: Document[]): void {
    for (const lsid of lsids) {
      const key = sessionKey(lsid);
      const s = this.all.get(key);
      if (s?.txn) this.txns.abort(s.txn, 'session ended');
      this.all.delete(key);
    }
  }

  expire(): void {
    const cutoff = Date.now() - SESSION_TIMEOUT_MINUTES * 60_000;
    for (const [key, s] of this.all) {
      if (s.lastUse < cutoff) {
        if (s.txn) this.txns.abort(s.txn, 'session expired');
        this.all.delete(key);
      }
    }
  }

  get size(): number {
    return this.all.size;
  }
}

function sessionKey(lsid: Document): string {
  const id = lsid?.id;
  return id instanceof Binary ? Buffer.from(id.buffer).toString('hex') : JSON.stringify(lsid);
}
