/**
 * The portal's and tasklist's pages, each loaded on demand so the first page stays light
 * (the form renderer, bpmn-js, ECharts and exceljs only load where they are used).
 */
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Spin } from 'antd';
import type { Role } from '../api/index';
import { RequireRole } from '../shell/session';

function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  const Page = lazy<ComponentType>(() => load().then((m) => ({ default: m[name] })));
  return function LazyPage() {
    return <Suspense fallback={<Spin style={{ display: 'block', margin: '20vh auto' }} />}><Page /></Suspense>;
  };
}

export const LoginPage = page(() => import('../portal/LoginPage'), 'LoginPage');
export const ProgressPage = page(() => import('../portal/ProgressPage'), 'ProgressPage');
export const EvaluatePage = page(() => import('../portal/EvaluatePage'), 'EvaluatePage');
export const EvaluationsPage = page(() => import('../tasklist/EvaluationsPage'), 'EvaluationsPage');
export const ApplyHome = page(() => import('../portal/ApplyHome'), 'ApplyHome');
export const ApplyForm = page(() => import('../portal/ApplyForm'), 'ApplyForm');
export const CasePage = page(() => import('../portal/CasePage'), 'CasePage');
export const SubmittedPage = page(() => import('../portal/SubmittedPage'), 'SubmittedPage');
export const PrintPage = page(() => import('../portal/PrintPage'), 'PrintPage');
export const MyTaskPage = page(() => import('../portal/MyTaskPage'), 'MyTaskPage');
export const PrecheckPage = page(() => import('../portal/PrecheckPage'), 'PrecheckPage');
export const TasklistPage = page(() => import('../tasklist/TasklistPage'), 'TasklistPage');
export const StaffTaskPage = page(() => import('../tasklist/StaffTaskPage'), 'StaffTaskPage');
export const StaffCasePage = page(() => import('../tasklist/StaffTaskPage'), 'StaffCasePage');
export const Dashboard = page(() => import('../tasklist/Dashboard'), 'Dashboard');
export const CounterPage = page(() => import('../tasklist/CounterPage'), 'CounterPage');
export const CounterReceipt = page(() => import('../tasklist/CounterReceipt'), 'CounterReceipt');
export const FiledCasesPage = page(() => import('../tasklist/FollowedCases'), 'FiledCasesPage');
export const CcCasesPage = page(() => import('../tasklist/FollowedCases'), 'CcCasesPage');
export const CaseSearchPage = page(() => import('../tasklist/CaseSearchPage'), 'CaseSearchPage');

/** A page that needs a role (others are sent to the sign-in page). */
export const as = (role: Role | Role[], el: ReactNode) => <RequireRole role={role}>{el}</RequireRole>;
