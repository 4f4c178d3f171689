/**
 * The text of an official document, from its template (templates/<city>/documents/<kind>.json)
 * and the case: `{{placeholder}}`s are replaced in ONE pass by a bounded replacer (no eval, no
 * re-expansion: a value that itself contains `{{…}}` — an applicant's name, a reason typed by
 * staff — is printed as typed). Placeholders:
 *
 *   {{caseNo}} {{applicantName}} {{matterTitle}} {{issuer}} {{date}} (the date of issue)
 *   {{submittedDate}} {{endedDate}} {{reason}} {{remedy}} {{deadline}}
 *   {{items}}        the linked items (receipt: title and department; completion: status and result)
 *   {{corrections}}  what to correct (补正, given by the caller)
 *
 * A paragraph that is exactly a list placeholder (`{{items}}`, `{{corrections}}`) prints as a
 * numbered list; elsewhere a list is joined with "；". Unknown placeholders stay visible.
 */
import { createHash } from 'node:crypto';
import type { DocumentTemplate } from '@lianban/templates';

/** Longest template paragraph and value read, and most paragraphs and list entries printed. */
export const MAX_PARAGRAPH_CHARS = 4000;
export const MAX_PARAGRAPHS = 60;
export const MAX_LIST_ENTRIES = 100;

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]{0,39})\}\}/g;
const ONLY_PLACEHOLDER = /^\{\{([A-Za-z][A-Za-z0-9]{0,39})\}\}$/;

export type PlaceholderValues = Record<string, string | string[] | undefined>;

export interface DocumentLine { text: string; list?: boolean }

export interface DocumentContent {
  kind: string;
  title: string;
  issuer: string;
  caseNo: string;
  issuedAt: Date;
  lines: DocumentLine[];
}

const clip = (s: string) => (s.length > MAX_PARAGRAPH_CHARS ? s.slice(0, MAX_PARAGRAPH_CHARS) : s);

/** Replaces the known `{{name}}`s of `text` in one pass; values are not scanned again. */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return clip(text).replace(PLACEHOLDER, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) return whole;
    const v = values[name];
    if (v === undefined) return '';
    return clip(Array.isArray(v) ? v.slice(0, MAX_LIST_ENTRIES).join('；') : v);
  });
}

/** The lines of a document: its paragraphs filled, list placeholders expanded into numbered entries. */
export function documentLines(template: Pick<DocumentTemplate, 'paragraphs'>, values: PlaceholderValues): DocumentLine[] {
  const lines: DocumentLine[] = [];
  for (const paragraph of (Array.isArray(template.paragraphs) ? template.paragraphs : []).slice(0, MAX_PARAGRAPHS)) {
    if (typeof paragraph !== 'string') continue;
    const only = ONLY_PLACEHOLDER.exec(paragraph.trim());
    const value = only && Object.prototype.hasOwnProperty.call(values, only[1]!) ? values[only[1]!] : undefined;
    if (Array.isArray(value)) {
      value.slice(0, MAX_LIST_ENTRIES).forEach((entry, i) => lines.push({ text: `${i + 1}. ${clip(entry)}`, list: true }));
      continue;
    }
    lines.push({ text: fillPlaceholders(paragraph, values) });
  }
  return lines;
}

/** SHA-256 (hex) of the content as printed: what a verification token vouches for. */
export function contentHash(content: DocumentContent): string {
  const canonical = JSON.stringify([content.kind, content.title, content.issuer, content.caseNo, content.issuedAt.toISOString(), content.lines.map((l) => l.text)]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** `2026年12月5日`, in China's time zone. */
export function chineseDate(d: Date | string | undefined | null): string {
  if (!d) return '';
  const date = new Date(d);
  if (Number.isNaN(+date)) return '';
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(date);
  const part = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${part('year')}年${part('month')}月${part('day')}日`;
}

/** Chinese labels of the linked items' statuses (the server's own copy: it cannot import the web labels). */
export const ITEM_STATUS_TEXT: Record<string, string> = {
  requested: '已受理', 'in-progress': '办理中', done: '已办结', standalone: '不符合联办条件，作为单独事项处理', 'not-applicable': '不予办理',
};
