/**
 * Named leases for work that exactly one of several server processes on one database may do
 * at a time (e.g. seeding the demo data at first start). `_id` is the name.
 */
import { Schema } from 'mongoose';

export interface LeaseDoc {
  _id: string;
  /** The process holding it (pid + random). */
  owner: string;
  /** Held until then; another process may take it over afterwards. */
  until: Date;
  /** When the work was finished (the lease is then never taken again). */
  doneAt: Date | null;
}

export const leaseSchema = new Schema<LeaseDoc>({
  _id: String,
  owner: String,
  until: Date,
  doneAt: { type: Date, default: null },
}, { versionKey: false });
