/**
 * The application form's draft and submission without a browser (portal/apply): the draft is
 * created once however saves race, only the applicant's changes count, what is not saved stays
 * in the tab, and a submission is safe to retry (one Idempotency-Key; a lost answer is
 * confirmed from the case).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, ApplicationSubmitter, DraftSaver, readUnsent, type DraftApi, type SubmitApi } from '@lianban/runtime/web/apply';

/** sessionStorage of one tab. */
class TabStorage {
  private items = new Map<string, string>();
  getItem(key: string) { return this.items.get(key) ?? null; }
  setItem(key: string, value: string) { this.items.set(key, value); }
  removeItem(key: string) { this.items.delete(key); }
}

/** An API that records its calls; createCase answers c1, c2, … */
function fakeApi() {
  let n = 0;
  const calls: string[] = [];
  const api = {
    createCase: vi.fn(async (body: { data: Record<string, unknown>; draft?: boolean }, key?: string) => {
      calls.push(`create${body.draft ? ' draft' : ''}${key ? ` key=${key}` : ''}`);
      return { id: `c${++n}` };
    }),
    updateDraft: vi.fn(async (id: string) => { calls.push(`update ${id}`); return { id, status: 'draft' }; }),
    submit: vi.fn(async (id: string) => { calls.push(`submit ${id}`); return { id, no: 'NO-1', status: 'submitted' }; }),
    case: vi.fn(async (id: string) => ({ id, no: 'NO-1', status: 'submitted' })),
  };
  return { api, calls };
}

const saverFor = (api: DraftApi, options: Partial<ConstructorParameters<typeof DraftSaver>[0]> = {}) =>
  new DraftSaver({ api, user: 'u', matter: 'm', form: 'f', ...options });

beforeEach(() => { vi.stubGlobal('window', { sessionStorage: new TabStorage() }); });
afterEach(() => { vi.unstubAllGlobals(); });

describe('DraftSaver', () => {
  it('should not count the values the form sets itself before the applicant touches it', () => {
    // given
    const { api } = fakeApi();
    const draft = saverFor(api as unknown as DraftApi, { initial: { a: 1 } });
    // when
    const computed = draft.changed({ a: 1, age: 60 });
    draft.touch();
    const typed = draft.changed({ a: 2, age: 60 });
    // then
    expect(computed).toBe(false);
    expect(typed).toBe(true);
    expect(draft.changed({ a: 2, age: 60 })).toBe(true);
    expect(readUnsent('u', 'm', 'f', undefined)?.values).toEqual({ a: 2, age: 60 });
  });

  it('should create the draft once when an autosave and a click save at the same time', async () => {
    // given
    const { api, calls } = fakeApi();
    const created: string[] = [];
    const draft = saverFor(api as unknown as DraftApi, { onCreated: (id) => created.push(id) });
    draft.touch();
    draft.changed({ a: 1 });
    // when
    const ids = await Promise.all([draft.save(), draft.save()]);
    // then
    expect(ids).toEqual(['c1', 'c1']);
    expect(calls).toEqual([expect.stringMatching(/^create draft key=\S+$/)]);
    expect(created).toEqual(['c1']);
    expect(readUnsent('u', 'm', 'f', 'c1')).toBeUndefined();
  });

  it('should save into an existing draft only what changed, and keep what was typed meanwhile', async () => {
    // given
    const { api, calls } = fakeApi();
    let values: Record<string, unknown> = { a: 1 };
    const draft = saverFor(api as unknown as DraftApi, { draftId: 'd1', initial: values, read: () => values });
    // when: nothing changed
    await draft.save();
    // and: a change, and typing goes on while it is saved
    values = { a: 2 };
    api.updateDraft.mockImplementationOnce(async (id: string) => { calls.push(`update ${id}`); values = { a: 3 }; return { id, status: 'draft' }; });
    await draft.save();
    // then
    expect(calls).toEqual(['update d1']);
    expect(readUnsent('u', 'm', 'f', 'd1')?.values).toEqual({ a: 3 });
  });

  it('should send the draft\'s request again as it was after its answer was lost, and then the newer values', async () => {
    // given: a server that made the draft but whose answer was lost; it replays a known Idempotency-Key
    const { api, calls } = fakeApi();
    const byKey = new Map<string, { id: string }>();
    let lose = true;
    api.createCase.mockImplementation(async (body: { data: Record<string, unknown> }, key?: string) => {
      calls.push(`create ${JSON.stringify(body.data)}`);
      const made = byKey.get(key!) ?? { id: `c${byKey.size + 1}` };
      byKey.set(key!, made);
      if (lose) { lose = false; throw new ApiError(0, 'network', '网络异常'); }
      return made;
    });
    let values: Record<string, unknown> = { a: 1 };
    const draft = saverFor(api as unknown as DraftApi, { read: () => values });
    draft.touch();
    draft.changed(values);
    // when: the first save's answer is lost, the applicant types on, and the next save runs
    await expect(draft.save()).rejects.toThrow('网络异常');
    values = { a: 2 };
    draft.changed(values);
    const id = await draft.save();
    // then: one draft, the same request twice, then the new values into it
    expect(id).toBe('c1');
    expect(byKey.size).toBe(1);
    expect(new Set(api.createCase.mock.calls.map((c) => c[1])).size).toBe(1);
    expect(calls).toEqual(['create {"a":1}', 'create {"a":1}', 'update c1']);
    // and a refusal is not sent again: the next try is a new request with the values of then
    const other = saverFor(api as unknown as DraftApi, { read: () => values });
    other.touch();
    api.createCase.mockRejectedValueOnce(new ApiError(429, 'quota-exceeded', '草稿过多'));
    await expect(other.save()).rejects.toThrow('草稿过多');
    values = { a: 3 };
    await other.save();
    expect(api.createCase.mock.calls.at(-1)![1]).not.toBe(api.createCase.mock.calls.at(-2)![1]);
    expect(calls.at(-1)).toBe('create {"a":3}');
  });

  it('should open with the unsent values of an earlier visit as changes to save', async () => {
    const { api, calls } = fakeApi();
    const draft = saverFor(api as unknown as DraftApi, { draftId: 'd1', initial: { a: 9 }, restored: true });
    expect(draft.touched).toBe(true);
    await draft.save();
    expect(calls).toEqual(['update d1']);
  });
});

describe('ApplicationSubmitter', () => {
  it('should reuse one Idempotency-Key across retries of a new application until it succeeds', async () => {
    // given
    const { api, calls } = fakeApi();
    const draft = saverFor(api as unknown as DraftApi, { initial: { a: 1 } });
    let keys = 0;
    const submitter = new ApplicationSubmitter(draft, api as unknown as SubmitApi, () => `k${++keys}`);
    api.createCase.mockRejectedValueOnce(new ApiError(0, 'network', '网络异常'));
    // when
    await expect(submitter.submit('m', 'f')).rejects.toThrow('网络异常');
    const id = await submitter.submit('m', 'f');
    await submitter.submit('m', 'f');
    // then
    expect(id).toBe('c1');
    expect(api.createCase.mock.calls.map((c) => c[1])).toEqual(['k1', 'k1', 'k2']);
    expect(calls).toEqual(['create key=k1', 'create key=k2']);
  });

  it('should confirm a draft submission whose answer was lost from the case itself', async () => {
    // given
    const { api } = fakeApi();
    const draft = saverFor(api as unknown as DraftApi, { draftId: 'd1', initial: { a: 1 } });
    const submitter = new ApplicationSubmitter(draft, api as unknown as SubmitApi);
    api.submit.mockRejectedValueOnce(new ApiError(504, 'gateway', '网关超时'));
    // when / then: went through
    await expect(submitter.submit('m', 'f')).resolves.toBe('d1');
    // when / then: a retry finds it submitted already (409)
    api.submit.mockRejectedValueOnce(new ApiError(409, 'conflict', '已提交'));
    await expect(submitter.submit('m', 'f')).resolves.toBe('d1');
    // when / then: did not go through
    api.submit.mockRejectedValueOnce(new ApiError(0, 'network', '网络异常'));
    api.case.mockResolvedValueOnce({ id: 'd1', no: '', status: 'draft' });
    await expect(submitter.submit('m', 'f')).rejects.toThrow('网络异常');
  });

  it('should not ask the case after a refusal such as invalid values', async () => {
    const { api } = fakeApi();
    const draft = saverFor(api as unknown as DraftApi, { draftId: 'd1', initial: { a: 1 } });
    api.submit.mockRejectedValueOnce(new ApiError(422, 'invalid', '填写有误', [{ path: 'a', code: 'required', message: '必填' }]));
    await expect(new ApplicationSubmitter(draft, api as unknown as SubmitApi).submit('m', 'f')).rejects.toThrow('填写有误');
    expect(api.case).not.toHaveBeenCalled();
  });
});
