/** Shapes of the server's answers the designer reads (docs/api.md). */
import type { FormSchema } from '@lianban/runtime';

export interface SessionUser { username: string; displayName?: string; roles: string[]; tenant: string; departments: string[] }
export interface Me { user: SessionUser; tenant: { key: string; name: string } }

export type DepartmentMode = 'tasklist' | 'system';
export interface Department { key: string; name: string; mode: DepartmentMode }

export interface UserAccount { username: string; displayName: string; roles: string[]; departments: string[]; disabled: boolean; locked: boolean }
export interface ApiKeyInfo { id: string; department: string; name: string; prefix: string; createdAt: string; revoked: boolean }
export interface IssuedKey { id: string; key: string; prefix: string }

export interface DefinitionSummary { key: string; title: string; updatedAt: string; updatedBy: string; version: number | null; publishedAt: string | null }
export interface MatterSummary extends DefinitionSummary { flow: string; forms: string[] }

export interface VersionInfo { version: number; publishedAt: string; hash?: string }
export interface FormDoc { key: string; title: string; draft: { schema: FormSchema; updatedAt?: string }; versions: VersionInfo[] }
export interface FlowDoc { key: string; title: string; draft: { xml: string; updatedAt?: string }; versions: VersionInfo[] }

export interface Material { name: string; kind: 'required' | 'on-request'; waivable?: boolean }
export interface LinkedItem { key: string; title: string; department: string; mandatory?: boolean; materials?: Material[]; description?: string }
export interface MatterDraft { forms: Array<{ key: string; title?: string }>; flow: string; linkedItems: LinkedItem[] }
export interface MatterDoc { key: string; title: string; draft: MatterDraft; versions: VersionInfo[] }
