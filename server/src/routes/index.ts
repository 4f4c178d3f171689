/**
 * The route table of `/api/v1`, one module per concern. `app.ts` registers it (`routerFor`),
 * `openapi.ts` prints it; a route is added here once and appears in both.
 */
import type { RouteInfo } from '../http/route-table';
import type { FeatureRoute } from './deps';
import { PUBLIC_ROUTES } from './health';
import { AUTH_ROUTES } from './auth';
import { ADMIN_ACCOUNT_ROUTES } from './admin-accounts';
import { DEFINITION_ROUTES } from './definitions';
import { CASE_ROUTES } from './cases';
import { ATTACHMENT_ROUTES } from './attachments';
import { NOTIFICATION_ROUTES } from './notifications';
import { TASK_ROUTES } from './tasks';
import { DEPARTMENT_SYSTEM_ROUTES } from './department-systems';
import { REGION_ROUTES } from './regions';
import { OFFICE_MOVE_ROUTES } from './office-moves';
import { CASE_MOVE_ROUTES } from './case-moves';
import { TASK_MOVE_ROUTES } from './task-moves';
import { CASE_MATERIAL_ROUTES } from './case-materials';
import { TASK_COMMENT_ROUTES } from './task-comments';
import { PRECHECK_ROUTES } from './precheck';
import { PUBLIC_PROGRESS_ROUTES } from './public-progress';
import { DOCUMENT_ROUTES } from './documents';
import { EVALUATION_ROUTES } from './evaluation';
import { SMS_ROUTES } from './sms';
import { DOCUMENT_TEMPLATE_ROUTES } from './document-templates';
import { OIDC_ROUTES } from './oidc';
import { PLATFORM_ROUTES } from './platform';
import { MIGRATION_ROUTES } from './migration';
import { STATS_ROUTES } from './stats';
import { MATERIAL_REUSE_ROUTES } from './material-reuse';
import { TEMPLATE_ROUTES } from './templates';
import { PLATFORM_TEMPLATE_ROUTES } from './platform-templates';
import { EXCHANGE_ROUTES } from './exchange';
import { CALENDAR_ROUTES } from './calendar';

export { PUBLIC_ROUTES, type PublicDeps } from './health';
export type { RouteDeps, FeatureRoute } from './deps';

/** The features' route tables (everything that needs the database), one per module. */
export const FEATURE_TABLES: readonly (readonly FeatureRoute[])[] = [
  AUTH_ROUTES, ADMIN_ACCOUNT_ROUTES, DEFINITION_ROUTES, CASE_ROUTES, ATTACHMENT_ROUTES,
  NOTIFICATION_ROUTES, TASK_ROUTES, DEPARTMENT_SYSTEM_ROUTES, REGION_ROUTES,
  OFFICE_MOVE_ROUTES,
  CASE_MOVE_ROUTES,
  TASK_MOVE_ROUTES,
  CASE_MATERIAL_ROUTES, TASK_COMMENT_ROUTES,
  PRECHECK_ROUTES,
  PUBLIC_PROGRESS_ROUTES,
  DOCUMENT_ROUTES,
  EVALUATION_ROUTES,
  SMS_ROUTES,
  DOCUMENT_TEMPLATE_ROUTES,
  OIDC_ROUTES,
  PLATFORM_ROUTES,
  MIGRATION_ROUTES,
  STATS_ROUTES,
  MATERIAL_REUSE_ROUTES,
  TEMPLATE_ROUTES,
  PLATFORM_TEMPLATE_ROUTES,
  EXCHANGE_ROUTES,
  CALENDAR_ROUTES,
];

/** Every operation of the API, in the document's order. */
export const API_ROUTES: readonly RouteInfo[] = [...PUBLIC_ROUTES, ...FEATURE_TABLES.flat()];
