/**
 * Opt-ins: which linked items a submission requests. A form marks the opt-in field of an item
 * with `x-linked-item`; the item is requested when it is mandatory or that field is answered
 * yes. One decision for the server (which starts the flow with the requested items) and the
 * portal (which shows the applicant's checklist).
 *
 *   const optIns = optInFields(schema);                        // Map { 'housing-fund-withdrawal' => 'housingFundWithdrawal' }
 *   requestedItems(matter.linkedItems, schema, data)          // ['retirement-normal', 'housing-fund-withdrawal']
 */
import { linkedItemKey } from '../forms/linked-item';
import type { FieldSchema } from '../forms/types';
import { walkSchema } from '../forms/walk';
import type { MatterLinkedItem } from './types';

/**
 * Data path of the opt-in field of each linked item the form marks (sections add no path
 * segment). Fields inside rows cannot opt in: a row is not the whole application.
 */
export function optInFields(schema: FieldSchema): Map<string, string> {
  const out = new Map<string, string>();
  for (const node of walkSchema(schema)) {
    if (!node.keyed || node.rows) continue;
    const item = linkedItemKey(node.schema['x-linked-item']);
    if (item) out.set(item, node.path);
  }
  return out;
}

/**
 * Whether an opt-in answer asks for the item. Opt-ins are `yesNo` fields, stored as booleans
 * (YES_NO in field-types/choice.ts), so only `true` counts — validated data never holds 是 or
 * yes strings there. A `checkbox` opt-in (docs/forms.md) counts when any option is ticked.
 */
export function isOptedIn(value: unknown): boolean {
  return value === true || (Array.isArray(value) && value.length > 0);
}

/** The value at a dotted data path (`a.b`), or undefined. */
function valueAt(data: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);
}

/**
 * Whether the applicant asks for the item: true when mandatory or its opt-in is answered yes,
 * false when answered otherwise, undefined when the form has no opt-in for it.
 */
export function itemRequested(item: Pick<MatterLinkedItem, 'key' | 'mandatory'>, optIns: Map<string, string>, data: Record<string, unknown>): boolean | undefined {
  if (item.mandatory) return true;
  const path = optIns.get(item.key);
  if (!path) return undefined;
  return isOptedIn(valueAt(data, path));
}

/** Keys of the linked items a submission of `schema` requests, in the matter's order. */
export function requestedItems(linkedItems: readonly Pick<MatterLinkedItem, 'key' | 'mandatory'>[], schema: FieldSchema, data: Record<string, unknown>): string[] {
  const optIns = optInFields(schema);
  return linkedItems.filter((i) => itemRequested(i, optIns, data) === true).map((i) => i.key);
}
