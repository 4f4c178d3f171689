/**
 * An item's status as people read it. The engine settles every unfinished item of a case that ends
 * early as `not-applicable` (it lapsed with the case), and people read that as 「不适用」 — beside
 * 「不予批准」 for the very item that was refused, or for every item of a case the applicant withdrew.
 * So, for the view only (the engine's statuses, the statistics and the exchange are unchanged):
 * - on a refused case, the item whose own step refused it (a done task of that item with the
 *   outcome `rejected`) reads `rejected` (不予批准);
 * - on a withdrawn case, an item that lapsed reads `withdrawn` (已撤回); on a cancelled one
 *   `cancelled` (已终止).
 */
import type { CaseDoc } from '../models';

export type ShownItemStatus = CaseDoc['items'][number]['status'] | 'rejected' | 'withdrawn' | 'cancelled';

/** What a case's end says of its lapsed items. */
export interface ItemEnding { caseStatus: CaseDoc['status']; refused: Set<string> }

export function itemEnding(doc: Pick<CaseDoc, 'status' | 'tasks'>): ItemEnding {
  const refused = doc.status === 'rejected'
    ? new Set(doc.tasks.filter((t) => t.state === 'done' && t.outcome === 'rejected' && t.linkedItem).map((t) => t.linkedItem!))
    : new Set<string>();
  return { caseStatus: doc.status, refused };
}

export function shownItemStatus(ending: ItemEnding, item: Pick<CaseDoc['items'][number], 'key' | 'status'>): ShownItemStatus {
  if (item.status !== 'not-applicable') return item.status;
  if (ending.refused.has(item.key)) return 'rejected';
  if (ending.caseStatus === 'withdrawn') return 'withdrawn';
  if (ending.caseStatus === 'cancelled') return 'cancelled';
  return item.status;
}
