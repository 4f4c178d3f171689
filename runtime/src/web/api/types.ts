/** Shapes of the HTTP API (docs/api.md) as the web apps read them. */
import type { FormSchema } from '@lianban/runtime';

export type Role = 'admin' | 'applicant' | 'staff';

export interface User {
  username: string;
  displayName?: string;
  roles: Role[];
  tenant: string;
  departments: string[];
}

export interface Me {
  user: User;
  tenant: { key: string; name: string };
}

export interface MaterialOfItem {
  name: string;
  kind: 'required' | 'on-request';
  waivable?: boolean;
}

export interface LinkedItemDef {
  key: string;
  title: string;
  department: string;
  mandatory?: boolean;
  materials?: MaterialOfItem[];
  description?: string;
}

export interface MatterSummary {
  key: string;
  title: string;
  version: number;
  forms: { key: string; title: string }[];
  linkedItems: LinkedItemDef[];
}

export interface MatterForm {
  key: string;
  title: string;
  version: number;
  hash: string;
  schema: FormSchema;
}

export interface Matter {
  key: string;
  title: string;
  version: number;
  forms: MatterForm[];
  linkedItems: LinkedItemDef[];
  flow: { key: string; version: number; xml: string };
}

export type TaskState = 'open' | 'claimed' | 'done' | 'cancelled';

export type CaseStatus = 'draft' | 'submitted' | 'in-progress' | 'needs-applicant' | 'completed' | 'rejected' | 'withdrawn';
export type ItemStatus = 'requested' | 'in-progress' | 'done' | 'standalone' | 'not-applicable';

export interface CaseItem { key: string; title: string; department: string; status: ItemStatus }

export interface CaseTask {
  id: string;
  name: string;
  department: string;
  state: TaskState;
  outcome?: string;
  dueAt?: string;
  claimedBy?: string;
  completedBy?: string;
  elementId: string;
  outcomes?: string[];
  formKey?: string;
}

export interface TimelineEntry { at: string; actor: string; action: string; elementId?: string; detail?: unknown }

export interface CaseSummary {
  id: string;
  no: string | null;
  status: CaseStatus;
  matter: string;
  matterTitle?: string;
  version: number;
  form: string;
  applicantName?: string;
  items: CaseItem[];
  active: string[];
  createdAt: string;
  submittedAt?: string;
  endedAt?: string;
}

export interface CaseView extends CaseSummary {
  data: Record<string, unknown>;
  masked: boolean;
  tasks: CaseTask[];
  timeline: TimelineEntry[];
}

export interface CaseFlow { xml: string; version: number; done: string[]; active: string[] }

export interface Task {
  id: string;
  /** `userTask` and the like from the flow; `promise` for 容缺 materials to hand in. */
  kind?: string;
  caseId: string;
  caseNo: string;
  matter: string;
  matterTitle?: string;
  name: string;
  department: string;
  state: TaskState;
  claimedBy?: string | null;
  dueAt?: string | null;
  outcomes?: string[];
  formKey?: string | null;
  linkedItem?: string | null;
  createdAt: string;
  applicantName?: string;
  caseStatus?: CaseStatus;
  /** Present on finished tasks in `state=all` lists. */
  completedAt?: string | null;
}

export interface Attachment { fileId: string; name: string; size: number; contentType: string; material?: string }

export interface Notification {
  id: string;
  caseId: string;
  caseNo: string;
  kind: 'accepted' | 'needs-action' | 'completed' | 'rejected';
  message: string;
  at: string;
  read: boolean;
}

/** One entry of an upload field's value. */
export interface UploadEntry { name: string; fileId?: string; size?: number; material?: string; promised?: boolean }
