/** The /showcase route, loaded lazily so the portal's first page stays light. */
import { lazy, Suspense } from 'react';

const Page = lazy(() => import('./ShowcasePage').then((m) => ({ default: m.ShowcasePage })));

export function ShowcaseRoute() {
  return <Suspense fallback={null}><Page /></Suspense>;
}
