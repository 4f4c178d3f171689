/**
 * The application's draft, kept safe while it is typed (no React here, so it can be tested
 * alone): creates the draft on first need, saves changed values into it one save at a time,
 * and keeps what is not saved yet in the tab (unsent.ts) so a reload or a timeout loses nothing.
 *
 *   const draft = new DraftSaver({ api, user, matter, form, draftId, initial, restored, read });
 *   if (draft.changed(values)) scheduleAutosave();   // the applicant changed something
 *   const id = await draft.save();                   // creates or updates the draft
 */
import type { api as client, CaseSubmission } from '../../api/index';
import { mayRetry, newIdempotencyKey } from '../../api/client';
import { dropUnsent, keepUnsent } from './unsent';

type Values = Record<string, unknown>;

/** What the saver needs of the API client (a fake in tests). */
export type DraftApi = Pick<typeof client, 'createCase' | 'updateDraft'>;

export interface DraftSaverOptions {
  api: DraftApi;
  /** Who types (the unsent values are kept per user). */
  user: string;
  matter: string;
  form: string;
  /** The draft being edited (none: a new application). */
  draftId?: string;
  /** The values the form opens with. */
  initial?: Values;
  /** True when the form opens with unsent values of an earlier visit: they count as changes. */
  restored?: boolean;
  /** The form's current values, when the form is there. */
  read?: () => Values | undefined;
  /** Called once the draft exists (the page puts its id into the address). */
  onCreated?: (id: string) => void;
}

export class DraftSaver {
  /** The draft's id, once it exists. */
  id: string | undefined;
  /** Whether the applicant has touched the form; until then the form's own settings are no changes. */
  touched: boolean;
  private latest: Values;
  private savedJson: string | undefined;
  /** Saves run one after another, so an autosave and a click never create two drafts. */
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * The request creating the draft, kept while its outcome is unknown (its answer was lost): the
   * next save sends it again as it was, with its Idempotency-Key, and gets the draft it made.
   */
  private attempt: { key: string; body: Omit<CaseSubmission, 'promised'> } | undefined;

  constructor(private readonly options: DraftSaverOptions) {
    this.id = options.draftId;
    this.touched = !!options.restored;
    this.latest = options.initial ?? {};
    this.savedJson = options.restored ? undefined : JSON.stringify(this.latest);
  }

  /** The values to save now: the form's, or the last ones it reported. */
  current(): Values {
    return this.options.read?.() ?? this.latest;
  }

  /** Marks the form as touched by the applicant (a key, a click, an input). */
  touch(): void {
    this.touched = true;
  }

  /**
   * Takes the values the form reports. Returns true when they are an unsaved change of the
   * applicant's (then they are kept in the tab and an autosave is due).
   */
  changed(next: Values): boolean {
    this.latest = next;
    const json = JSON.stringify(next);
    // Values the form sets itself on opening (computed fields) are not the applicant's changes.
    if (!this.touched) { this.savedJson = json; return false; }
    if (json === this.savedJson) return false;
    this.keep(next);
    return true;
  }

  /** Creates the draft on first need, or saves the values into it. Resolves to the draft's id. */
  save(): Promise<string> {
    const next = this.queue.then(this.run, this.run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Waits for the saves under way (an autosave may be creating the draft). */
  async settled(): Promise<void> {
    await this.queue;
  }

  /** Forgets the unsent values of this form (after a submission). */
  forget(): void {
    dropUnsent(this.options.user, this.options.matter, this.options.form);
  }

  private readonly run = async (): Promise<string> => {
    const { api, matter, form } = this.options;
    const data = this.current();
    const json = JSON.stringify(data);
    if (this.id) {
      if (json !== this.savedJson) await api.updateDraft(this.id, data);
    } else {
      this.attempt ??= { key: newIdempotencyKey(), body: { matter, form, data, draft: true } };
      const sent = this.attempt;
      let created: { id: string };
      try {
        created = await api.createCase(sent.body, sent.key);
      } catch (e) {
        // a refusal made nothing: the next save is a new request (with the values of then)
        if (!mayRetry(e)) this.attempt = undefined;
        throw e;
      }
      this.attempt = undefined;
      this.id = created.id;
      this.options.onCreated?.(created.id);
      // sent again, the request carried the values of its first try: the newer ones go in now
      if (JSON.stringify(sent.body.data) !== json) await api.updateDraft(created.id, data);
    }
    this.savedJson = json;
    // Typing may have gone on while the request ran: what came after stays in the tab.
    const now = this.current();
    if (JSON.stringify(now) === json) this.forget();
    else this.keep(now);
    return this.id;
  };

  private keep(values: Values): void {
    keepUnsent(this.options.user, this.options.matter, this.options.form, { caseId: this.id, values, at: Date.now() });
  }
}
