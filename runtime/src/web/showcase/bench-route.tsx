/** The /bench/forms route (renderer benchmark page), loaded lazily. */
import { lazy, Suspense } from 'react';

const Page = lazy(() => import('./bench/FormsBenchPage').then((m) => ({ default: m.FormsBenchPage })));

export function FormsBenchRoute() {
  return <Suspense fallback={null}><Page /></Suspense>;
}
