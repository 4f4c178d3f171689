/**
 * An item's status as people read it. The engine settles every unfinished item of a refused case as
 * `not-applicable` (it lapsed with the case). The item whose own step refused it (a done task of
 * that item with the outcome `rejected`, 不予批准) reads `rejected` instead: the applicant and the
 * public progress page saw 「不适用」 beside 「不予批准」 for the very item that was refused.
 */
import type { CaseDoc } from '../models';

export type ShownItemStatus = CaseDoc['items'][number]['status'] | 'rejected';

/** The items a refused case was refused on (their keys). */
export function refusedItems(doc: Pick<CaseDoc, 'status' | 'tasks'>): Set<string> {
  if (doc.status !== 'rejected') return new Set();
  return new Set(doc.tasks.filter((t) => t.state === 'done' && t.outcome === 'rejected' && t.linkedItem).map((t) => t.linkedItem!));
}

export function shownItemStatus(refused: Set<string>, item: Pick<CaseDoc['items'][number], 'key' | 'status'>): ShownItemStatus {
  return item.status === 'not-applicable' && refused.has(item.key) ? 'rejected' : item.status;
}
