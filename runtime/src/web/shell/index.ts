/**
 * The app shell shared by the portal (`portal/`) and the staff tasklist (`tasklist/`): the page
 * frame, the signed-in session, loading state and the 404 page. It imports neither of them.
 */
export { Shell } from './Shell';
export { SessionProvider, RequireRole, useSession, homeOf } from './session';
export { ChangePassword } from './ChangePassword';
export { LoadState } from './Loading';
export { NotFound } from './NotFound';
export { useLoad, type Loaded } from './use-load';
