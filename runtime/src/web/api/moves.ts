/** The office's moves on a task (docs/office-moves.md): 转办, 委派, 加签, 抄送, 催办, batch, and the staff to pick from. */
import type {
  AddSigners, CarbonCopied, CarbonCopy, SignersAdded, StaffMember, TaskBatch, TaskBatchResult, TaskDelegated, TaskHandOver, TaskReminded, TaskTransferred,
} from '@lianban/runtime/contract';
import { get, post } from './client';

export type { CountersignMode, StaffMember, TaskBatchResult } from '@lianban/runtime/contract';

export const moves = {
  staff: (department?: string) => get<StaffMember[]>(`/staff${department ? `?department=${encodeURIComponent(department)}` : ''}`),
  transfer: (id: string, body: TaskHandOver) => post<TaskTransferred>(`/tasks/${id}/transfer`, body),
  delegate: (id: string, body: TaskHandOver) => post<TaskDelegated>(`/tasks/${id}/delegate`, body),
  addSigners: (id: string, body: AddSigners) => post<SignersAdded>(`/tasks/${id}/add-signers`, body),
  cc: (id: string, body: CarbonCopy) => post<CarbonCopied>(`/tasks/${id}/cc`, body),
  remind: (id: string) => post<TaskReminded>(`/tasks/${id}/remind`),
  batch: (body: TaskBatch) => post<TaskBatchResult>('/tasks/batch', body),
};
