/** What the feature routes' handlers work with. */
import type { Connection } from 'mongoose';
import type { Models } from '../models';
import type { Route } from '../http/route-table';
import type { Scanner } from '../services/attachments';
import type { Quotas } from '../services/quotas';

export interface RouteDeps {
  models: Models;
  conn: Connection;
  /** Checks uploads before they are stored (none by default). */
  scanner: Scanner;
  /** Storage quotas (drafts per applicant, attachment bytes per case and per applicant a day). */
  quotas: Quotas;
}

/** A feature route (everything but health and the document). */
export type FeatureRoute = Route<RouteDeps>;
