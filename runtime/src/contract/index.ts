/**
 * @lianban/runtime/contract — the HTTP contract of `/api/v1` (docs/api.md) as types, shared by
 * the server's routes, the portal and the designer. Pure: no React, koa or mongoose.
 *
 *   import type { CaseView, TaskCompletion, ErrorBody } from '@lianban/runtime/contract';
 *   import { ACCESS, type Who } from '@lianban/runtime/contract';   // who may call
 *
 * - `access.ts`      who may call an operation (the server enforces it, the document prints it)
 * - `errors.ts`      the error body every failure answers with
 * - `accounts.ts`    sign-in, the current user, departments, accounts, API keys
 * - `definitions.ts` forms, flows and matters (drafts and published)
 * - `cases.ts`       cases, tasks, attachments, notifications, messages
 * - `public.ts`      health and administrative divisions (no sign-in)
 * - `office-moves.ts` 转办, 委派, 加签, 抄送, 催办, batch handling
 * - `documents.ts`   official documents of a case and their verification
 * - `sms.ts`         SMS templates per city and the SMS outbox (admin)
 * - `migration.ts`   running cases onto a new matter version: preview and migrate
 * - `stats.ts`       statistics of a city and of the province
 * - `materials.ts`   免提交: reusable materials (earlier cases, 电子证照) and a file's provenance
 * - `exchange.ts`    case-number format per city, the provincial exchange's records
 * - `calendar.ts`    the province's working-day calendar (entered holidays and 调休)
 */
export * from './access';
export type * from './errors';
export type * from './accounts';
export type * from './definitions';
export type * from './cases';
export { AUTHORIZATION_LETTER } from './cases';
export type * from './public';
export * from './evaluation';
export type * from './moves';
export type * from './office-moves';
export type * from './documents';
export type * from './sms';
export type * from './migration';
export type * from './stats';
export type * from './materials';
export type * from './templates';
export type * from './exchange';
export type * from './calendar';
