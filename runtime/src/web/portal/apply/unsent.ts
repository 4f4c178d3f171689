/**
 * Unsent form values kept in sessionStorage, so that nothing typed is lost on a reload or when
 * the session times out (the 401 sends the tab to the sign-in page and back). Per tab, per user,
 * per matter and form; cleared once the values are saved or submitted, and on sign-out.
 */
export interface Unsent {
  /** The draft the values belong to (none: a new application). */
  caseId?: string;
  values: Record<string, unknown>;
  /** When they were typed (ms). */
  at: number;
}

const PREFIX = 'lianban.unsent:';
const keyOf = (user: string, matter: string, form: string) => `${PREFIX}${user}:${matter}/${form}`;

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

export function keepUnsent(user: string, matter: string, form: string, entry: Unsent): void {
  try {
    storage()?.setItem(keyOf(user, matter, form), JSON.stringify(entry));
  } catch { /* full or disabled: the autosaved draft still holds most of it */ }
}

/** The unsent values of this form, when they belong to the same draft (or both are new). */
export function readUnsent(user: string, matter: string, form: string, caseId: string | undefined): Unsent | undefined {
  const raw = storage()?.getItem(keyOf(user, matter, form));
  if (!raw) return undefined;
  try {
    const entry = JSON.parse(raw) as Unsent;
    if ((entry.caseId ?? undefined) !== (caseId ?? undefined) || typeof entry.values !== 'object' || !entry.values) return undefined;
    return entry;
  } catch {
    return undefined;
  }
}

export function dropUnsent(user: string, matter: string, form: string): void {
  storage()?.removeItem(keyOf(user, matter, form));
}

/** Forgets every unsent form of this tab (on sign-out: the next user must not see them). */
export function dropAllUnsent(): void {
  const s = storage();
  if (!s) return;
  for (const key of Object.keys(s)) if (key.startsWith(PREFIX)) s.removeItem(key);
}
