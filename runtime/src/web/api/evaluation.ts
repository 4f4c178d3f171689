/** 好差评 (docs/evaluation.md): rating a case or an item, the SMS link page, and the 差评 follow-ups. */
import type { Evaluation, EvaluationBody, EvaluationInvite, FollowUpBody } from '@lianban/runtime/contract';
import { get, post } from './client';

export type { Evaluation, EvaluationBody, EvaluationInvite, EvaluationFollowUp } from '@lianban/runtime/contract';

export const evaluations = {
  rate: (caseId: string, body: EvaluationBody) => post<Evaluation>(`/cases/${caseId}/evaluation`, body),
  ofCase: (caseId: string) => get<Evaluation[]>(`/cases/${caseId}/evaluations`),
  list: (filter: { open?: boolean; poor?: boolean } = {}) =>
    get<Evaluation[]>(`/evaluations?${new URLSearchParams({ ...(filter.open ? { open: '1' } : {}), ...(filter.poor ? { poor: '1' } : {}) }).toString()}`),
  followUp: (id: string, body: FollowUpBody) => post<Evaluation>(`/evaluations/${id}/follow-up`, body),
  invite: (token: string) => get<EvaluationInvite>(`/public/evaluation/${encodeURIComponent(token)}`, { noRedirect: true }),
  rateByInvite: (token: string, body: EvaluationBody) => post<Evaluation>(`/public/evaluation/${encodeURIComponent(token)}`, body, { noRedirect: true }),
};
