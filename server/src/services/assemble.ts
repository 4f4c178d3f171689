/**
 * The services of one database, assembled once per process (`startServer`) and handed to the app
 * and the scheduler alike. The caches that spare database round trips (published matter
 * versions, latest versions, system departments, case-number prefixes) are kept per `models`
 * object, so one assembly means one set of caches that every request and timer shares. (The
 * deployed flow definitions are cached per process by content hash: the same XML is the same
 * definition whatever database it came from.)
 *
 *   const services = createServices(db.connection);
 *   startScheduler(services.models, services.conn);
 *   createApp({ config, db, services });
 */
import type { Connection } from 'mongoose';
import { createModels, type Models } from '../models';

export interface Services {
  models: Models;
  /** The connection the models are registered on (for transactions and GridFS). */
  conn: Connection;
}

/** Registers the models on the connection; call once per connection and share the result. */
export function createServices(conn: Connection): Services {
  return { models: createModels(conn), conn };
}
