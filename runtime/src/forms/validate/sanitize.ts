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

// eslint-disable-next-line no-control-regex
const HAS_UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
// Text without combining marks or compatibility/precomposed candidates in these ranges is NFC as it
// stands; checking this first spares `normalize` on the common case (ASCII, CJK ideographs).
// eslint-disable-next-line no-control-regex
const MAY_CHANGE_UNDER_NFC = /[^\u0000-\u02FF\u3000-\u303F\u4E00-\u9FFF\uFF00-\uFFEF]/;

/**
 * True when every character is one that is safe and NFC as it stands — tab, newline, printable
 * ASCII, Latin up to U+02FF, CJK punctuation and ideographs, full-width forms — so both checks
 * below can be spared (a plain loop: cheaper than a regex call on the short texts of a form).
 */
function plainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 ? c <= 0x7E || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA0 && c <= 0x2FF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) : c === 0x09 || c === 0x0A) continue;
    return false;
  }
  return true;
}

/** The text without control characters (but `\n`, `\t`) and bidi overrides, in NFC. */
export function sanitizeText(text: string): string {
  if (plainText(text)) return text;
  const cleaned = HAS_UNSAFE.test(text) ? text.replace(UNSAFE, '') : text;
  return MAY_CHANGE_UNDER_NFC.test(cleaned) ? cleaned.normalize('NFC') : cleaned;
}

/**
 * `value` with every string in it (array items, object values, at any depth) sanitized: the same
 * object when nothing changes (validation runs on every submission; most need no cleaning),
 * otherwise a copy. Plain loops: nothing is allocated while nothing changes.
 */
export function sanitizeStrings<T>(value: T): T {
  if (typeof value === 'string') return sanitizeText(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const s = sanitizeStrings(v);
      if (s !== v) (out ??= value.slice())[i] = s;
    }
    return (out ?? value) as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  let changed: Map<string, unknown> | undefined;
  for (const k in record) {
    if (!Object.prototype.hasOwnProperty.call(record, k)) continue;
    const v = record[k];
    const s = sanitizeStrings(v);
    if (s !== v) (changed ??= new Map()).set(k, s);
  }
  if (!changed) return value;
  // fromEntries defines own properties: a `__proto__` key stays data, as JSON.parse made it
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, changed.has(k) ? changed.get(k) : v])) as T;
}
