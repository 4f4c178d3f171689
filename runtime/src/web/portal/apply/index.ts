/**
 * The application form's logic without React (tested alone, `@lianban/runtime/web/apply`): the
 * draft that saves itself, the retry-safe submission, the unsent values kept in the tab.
 * The hooks and the bar that use them sit beside (useAutosave.ts, useApplyActions.ts, SubmitBar.tsx).
 */
export { DraftSaver, type DraftApi, type DraftSaverOptions } from './draft-saver';
export { ApplicationSubmitter, type SubmitApi } from './submit-with-retry';
export { keepUnsent, readUnsent, dropUnsent, dropAllUnsent, type Unsent } from './unsent';
/** The client's error, which the submission tells apart by status (re-exported for tests). */
export { ApiError } from '../../api/index';
