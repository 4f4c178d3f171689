/**
 * @lianban/runtime/web — the runtime's browser part (React 18 + antd 5 + Formily): the form
 * renderer and the pieces the portal, the tasklist and the designer's live preview share.
 * The only place in `runtime/` that imports React.
 *
 *   import { t, antdLocale } from '@lianban/runtime/web';
 *
 * Its folders: `forms/` the form renderer; `case/` what the portal and the tasklist show of a
 * case (CaseHead, CaseProgress, labels, loading a case with its form); `shell/` the app shell
 * (page frame, session, loading state, 404); `portal/` the applicants' pages (`portal/apply/`:
 * the form page's autosave and retry-safe submission, also `@lianban/runtime/web/apply`);
 * `tasklist/` the staff's pages; `app/` the entry that routes to both (index.html loads
 * `app/main.tsx`). The portal and the tasklist import `shell/` and `case/`, never each other
 * (eslint.config.js).
 */
export { t, antdLocale, currentLang, setLang, type Lang, type TextKey } from './i18n';
export { FormRenderer, showErrors, checkForm, createRegionLoader, installSafeFormily, installRuleReactions, type FormRendererProps, type RegionLoader, type RegionNode } from './forms/index';
export { formSteps, stepOfPath, errorsOfStep, lenientFormats, type FormStep } from './forms/index';
export { FieldBoundary, withFieldBoundary, fieldFailureText, formComponents, type FieldBoundaryProps } from './forms/index';
export { themeFor, useCareMode, isCareMode, setCareMode, applyCareClass } from './care-mode';
export { CareConfigProvider, CareModeToggle } from './CareMode';
export { OidcSignIn } from './portal/OidcSignIn';
export { formatTime } from './case/labels';
// The one HTTP client (the designer builds its own instance with its own sign-in page).
export { ApiError, createApiClient, type ApiClient, type ClientOptions, type RequestOptions } from './api/client';
