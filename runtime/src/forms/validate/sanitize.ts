/**
 * Text as stored: what an applicant types (or pastes) is cleaned before it is validated —
 * control characters go (tab and newline stay), so do the bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) that make a name or file name read differently from what it is
 * (`‮fdp.exe` shown as `exe.pdf`), and the text is normalised to NFC (a decomposed `é` and a
 * composed one are the same name for search, dedup and the departments' systems).
 *
 *   sanitizeText('张\u202E三\u0000')            // '张三'
 *   sanitizeStrings({ name: 'Zoe\u0301' })     // { name: 'Zoé' }  (every string value, keys untouched)
 */

// C0 controls but tab (U+0009) and newline (U+000A), DEL, C1 controls, bidi overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** The text without control characters (but `\n`, `\t`) and bidi overrides, in NFC. */
export function sanitizeText(text: string): string {
  return text.replace(UNSAFE, '').normalize('NFC');
}

/** A copy of `value` with every string in it (array items, object values, at any depth) sanitized. */
export function sanitizeStrings<T>(value: T): T {
  if (typeof value === 'string') return sanitizeText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => sanitizeStrings(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // fromEntries defines own properties: a `__proto__` key stays data, as JSON.parse made it
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitizeStrings(v)])) as T;
  }
  return value;
}
