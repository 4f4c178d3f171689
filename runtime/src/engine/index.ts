/**
 * The Lianban flow engine — a small BPMN 2.0 engine for a documented subset
 * (docs/flow-extensions.md). Pure: no I/O, no timers, no eval; the server stores the state.
 *
 *   const { definition, problems } = await deploy(xml);           // publish-time check + compile
 *   let { state, waits, effects } = start(definition, data, { items: ['housing-fund-withdrawal'] });
 *   ({ state, waits, effects } = complete(definition, state, waits[0].id, { outcome: 'approved' }));
 *   fireTimer(definition, state, timerWaitId, { now });            // the server's scheduler, when due
 *   correlate(definition, state, 'medical-result', vars);          // POST /messages → matching waits
 *   failServiceTask(definition, state, waitId, { errorCode: 'push-failed' });
 *   returnTargets(definition, state, waitId);                      // 退回: earlier user tasks
 *   moveTokens(definition, state, { from: [waitId], to: 'Review' }); // 退回 / admin move (docs/office-moves.md)
 *   recall(definition, state, recallPoint(before, after, waitId));   // 撤回 while the next step is untouched
 *   cancelCase(definition, state, { reason });                     // 撤回申请 / 终止: no token left
 *   retryIncident(definition, state, incidentIndex);               // an admin's retry of a failed step
 *   planMigration(state, fromDef, toDef, mapping, { now });         // a running case onto a new version (docs/migration.md)
 *
 * `waits` say what to show/schedule (tasks, timers with dueAt, message waits, service tasks);
 * `effects` say what to do now (push to an outbox, item status changes, case ended, incidents).
 * The extension namespace `lb:` is `lianbanModdle` (load the same descriptor in the designer).
 * `SUPPORTED_BPMN_ELEMENTS` lists the element types and event definitions deploy accepts.
 * Stored states of older versions are read as they are (`upgradeState`, applied by every operation).
 * Working days (timers with `lb:calendar="workdays"`, deadlines) come from one calendar, `calendar.ts`:
 * chinese-days with the province's entered years (`setCalendarOverrides`, loaded by the server).
 */
export { deploy } from './deploy/index';
export { SUPPORTED_BPMN_ELEMENTS, EXECUTABLE_ELEMENT_TYPES } from './supported';
export { start, complete, fireTimer, correlate, failServiceTask, activeElements } from './run/api';
export { describeWaits } from './run/waits';
export { moveTokens, returnTargets, type MoveInput, type ReturnTarget } from './run/moves';
export { recall, recallPoint, canRecall, type RecallPoint } from './run/recall';
export { cancelCase } from './run/cancel';
export { retryIncident, openIncidents } from './run/retry';
export { upgradeState } from './run/state-upgrade';
export { planMigration, standOf, type MigrationMapping, type MigrationPlan, type MigrationProblem, type MigrationProblemCode, type CaseStand } from './run/migrate';
export { FLOW_STATE_VERSION } from './types';
export { EngineError, type EngineErrorCode } from './errors';
export { lianbanModdle, LIANBAN_NS } from './moddle';
export { clearFeelCache, evalFeel, feelBudgetProblem } from './feel';
export { FEEL_LIMITS } from './feel-budget';
export type {
  Definition, DeployResult, Problem, FlowState, StepResult, Wait, WaitKind, Effect, ItemStatus,
  StartOptions, RunOptions, CompleteInput, HistoryEntry, Incident, Token, Scope, WaitRecord,
} from './types';
export {
  isWorkday, findWorkday, workdaysInRange, setCalendarOverrides, calendarOverrides, calendarCoverage, calendarYearMissing, calendarProblems,
  calendarWarnings, calendarYears, chinaYear, packageKnows, isCalendarDate, isWeekend, MAX_CALENDAR_DAYS, MAX_CALENDAR_NAME,
  type CalendarDay, type CalendarDayKind, type CalendarYear, type CalendarCoverage,
} from './calendar';
