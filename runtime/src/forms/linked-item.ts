/**
 * The one reader of `x-linked-item`, the mark of an opt-in field that switches a linked item
 * (关联事项) on. It is either the item's key in the matter (a string, API.md; what the shipped
 * templates use) or an inline `{id, name, department}` (docs/forms.md).
 *
 *   parseLinkedItem('housing-fund-withdrawal')        // { id: 'housing-fund-withdrawal' }
 *   parseLinkedItem({ id: 'x', name: '甲', department: 'hrss' })   // { id: 'x', name: '甲', department: 'hrss' }
 *   linkedItemKey(node['x-linked-item'])             // 'housing-fund-withdrawal' | undefined
 *
 * Used by the schema checker, the publish checks, the portal and the designer, so they agree
 * on which field opts into which item.
 */

/** A parsed `x-linked-item`: the item key, plus name and department when given inline. */
export interface LinkedItemMark {
  id: string;
  name?: string;
  department?: string;
  /** True for the `{id, name, department}` form. */
  inline: boolean;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Reads an `x-linked-item` value; undefined when there is none or it names no item (an empty
 * string, an object without a string `id`). Shape rules beyond that are the schema checker's.
 */
export function parseLinkedItem(mark: unknown): LinkedItemMark | undefined {
  if (typeof mark === 'string') return mark ? { id: mark, inline: false } : undefined;
  if (typeof mark !== 'object' || mark === null || Array.isArray(mark)) return undefined;
  const m = mark as Record<string, unknown>;
  const id = text(m.id);
  if (!id) return undefined;
  const name = text(m.name);
  const department = text(m.department);
  return { id, ...(name ? { name } : {}), ...(department ? { department } : {}), inline: true };
}

/** The linked-item key an `x-linked-item` value marks, or undefined. */
export function linkedItemKey(mark: unknown): string | undefined {
  return parseLinkedItem(mark)?.id;
}
