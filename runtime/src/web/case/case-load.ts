/** Loads a case with the schema of its form (from the matter) for read-only views. */
import type { FormSchema } from '@lianban/runtime';
import { api, type CaseView, type Matter } from '../api/index';

export interface CaseWithForm { view: CaseView; matter: Matter; schema?: FormSchema; formTitle?: string }

export async function loadCaseWithForm(id: string, reveal = false): Promise<CaseWithForm> {
  const view = await (reveal ? api.reveal(id) : api.case(id));
  // The matter's latest version; the case may run on an older one (see the report).
  const matter = await api.matter(view.matter);
  const form = matter.forms.find((f) => f.key === view.form);
  return { view, matter, schema: form?.schema, formTitle: form?.title };
}
