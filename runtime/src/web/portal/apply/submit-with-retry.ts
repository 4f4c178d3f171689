/**
 * Submitting an application so that retrying is safe: a new application is created with one
 * Idempotency-Key, kept across the applicant's retries until one succeeds; a draft whose
 * submission lost its answer (network, proxy, or a retry that finds it already submitted)
 * is confirmed from the case itself. No React here.
 */
import { ApiError, mayRetry, newIdempotencyKey, type api as client } from '../../api/index';
import type { DraftSaver } from './draft-saver';

/** What a submission needs of the API client (a fake in tests). */
export type SubmitApi = Pick<typeof client, 'createCase' | 'submit' | 'case'>;

export class ApplicationSubmitter {
  /** The Idempotency-Key of a direct submission, reused by retries until one succeeds. */
  private key: string | undefined;

  constructor(
    private readonly draft: DraftSaver,
    private readonly api: SubmitApi,
    private readonly newKey: () => string = newIdempotencyKey,
  ) {}

  /** Submits the application (the draft, or a new case) and resolves to the case id. */
  async submit(matter: string, form: string): Promise<string> {
    // An autosave in flight may be creating the draft: wait for it, then submit that draft.
    await this.draft.settled();
    const id = this.draft.id ? await this.submitDraft(this.draft.id) : await this.createSubmitted(matter, form);
    this.key = undefined;
    this.draft.forget();
    return id;
  }

  private async submitDraft(draftId: string): Promise<string> {
    let id = draftId;
    try {
      id = await this.draft.save();
      await this.api.submit(id);
    } catch (e) {
      // A submission whose answer was lost (network, proxy) may have gone through: a retry then
      // finds the draft already submitted (409). Either way the case itself tells.
      if (!(mayRetry(e) || (e instanceof ApiError && e.status === 409))) throw e;
      const now = await this.api.case(id).catch(() => null);
      if (!now || now.status === 'draft' || !now.no) throw e;
    }
    return id;
  }

  private async createSubmitted(matter: string, form: string): Promise<string> {
    // One key per submission, kept across the applicant's retries until it succeeds.
    this.key ??= this.newKey();
    return (await this.api.createCase({ matter, form, data: this.draft.current() }, this.key)).id;
  }
}
