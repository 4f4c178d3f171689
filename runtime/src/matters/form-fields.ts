/**
 * What the publish checks need to know of a matter's forms: every data key a flow condition may
 * read, and which field opts into which linked item.
 *
 *   formFields(schema)   // { keys: Set {'name', 'housingFundWithdrawal', …}, linkedItems: Map { 'housing-fund-withdrawal' => 'housingFundWithdrawal' } }
 */
import { linkedItemKey } from '../forms/linked-item';

/** The few schema fields read here; any form schema (or unchecked JSON) fits. */
interface SchemaLike {
  properties?: Record<string, SchemaLike>;
  items?: SchemaLike;
  type?: string;
  'x-linked-item'?: unknown;
}

/**
 * Every field key of a form (nested sections and rows columns included) and the key of the
 * opt-in field of each linked item it marks. Keys, not paths: flow conditions read fields by key.
 */
export function formFields(schema: SchemaLike): { keys: Set<string>; linkedItems: Map<string, string> } {
  const keys = new Set<string>();
  const linkedItems = new Map<string, string>();
  const walk = (node: SchemaLike | undefined) => {
    for (const [key, child] of Object.entries(node?.properties ?? {})) {
      // Sections (type void) group fields but are no data key of their own.
      if (child.type !== 'void') keys.add(key);
      const item = linkedItemKey(child['x-linked-item']);
      if (item) linkedItems.set(item, key);
      walk(child);
      walk(child.items);
    }
  };
  walk(schema);
  return { keys, linkedItems };
}
