import { Route, Routes } from 'react-router-dom';
import { Home } from '../portal/Home';
import { NotFound } from '../shell/NotFound';
import { ShowcaseRoute } from '../showcase/route';
import { FormsBenchRoute } from '../showcase/bench-route';
import {
  ApplyForm, ApplyHome, as, CasePage, CaseSearchPage, CcCasesPage, CounterPage, CounterReceipt, Dashboard, FiledCasesPage, LoginPage, MyTaskPage, PrintPage, StaffCasePage, StaffTaskPage,
  SubmittedPage, TasklistPage, PrecheckPage, ProgressPage, EvaluatePage, EvaluationsPage,
} from './lazy-pages';

/** Every portal route, in one table: applicants under /apply and /my, staff under /tasks. */
export function App() {
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      <Route path="/showcase" element={<ShowcaseRoute />} />
      <Route path="/bench/forms" element={<FormsBenchRoute />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/progress" element={<ProgressPage />} />
      <Route path="/e/:token" element={<EvaluatePage />} />
      <Route path="/apply" element={as('applicant', <ApplyHome />)} />
      <Route path="/apply/:matter/precheck" element={as('applicant', <PrecheckPage />)} />
      <Route path="/apply/:matter/:form/:caseId?" element={as('applicant', <ApplyForm />)} />
      <Route path="/my/cases/:id" element={as('applicant', <CasePage />)} />
      <Route path="/my/cases/:id/submitted" element={as('applicant', <SubmittedPage />)} />
      <Route path="/my/cases/:id/print" element={as('applicant', <PrintPage />)} />
      <Route path="/my/tasks/:id" element={as('applicant', <MyTaskPage />)} />
      <Route path="/tasks" element={as('staff', <TasklistPage />)} />
      <Route path="/tasks/:taskId" element={as('staff', <StaffTaskPage />)} />
      <Route path="/cases" element={as(['staff', 'admin'], <CaseSearchPage />)} />
      <Route path="/cases/:id" element={as(['staff', 'admin'], <StaffCasePage />)} />
      <Route path="/dashboard" element={as('admin', <Dashboard />)} />
      <Route path="/evaluations" element={as(['staff', 'admin'], <EvaluationsPage />)} />
      <Route path="/counter" element={as(['staff', 'window'], <CounterPage />)} />
      <Route path="/counter/:id/receipt" element={as(['staff', 'window'], <CounterReceipt />)} />
      <Route path="/counter/cases" element={as(['staff', 'window'], <FiledCasesPage />)} />
      <Route path="/cc" element={as('staff', <CcCasesPage />)} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
