/** What the feature routes' handlers work with. */
import type { Connection } from 'mongoose';
import type { Models } from '../models';
import type { Route } from '../http/route-table';
import type { Scanner } from '../services/attachments';

export interface RouteDeps {
  models: Models;
  conn: Connection;
  /** Checks uploads before they are stored (none by default). */
  scanner: Scanner;
}

/** A feature route (everything but health and the document). */
export type FeatureRoute = Route<RouteDeps>;
