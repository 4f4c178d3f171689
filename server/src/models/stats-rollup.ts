/**
 * The statistics' rollups (services/stats-rollup.ts, docs/stats.md), maintained off the request
 * path by the rollup folder:
 * - `stats_rollups`: one row per (city, China day of submission, matter) and one per (city, China
 *   hour, matter) — the figures of the cases submitted then, pre-aggregated (counts, duration
 *   histograms, 好差评);
 * - `stats_open`: one row per (city, matter) — the open department tasks now, counted by department
 *   and hour of their due date — and one per (city, matter, due hour) listing those tasks exactly;
 * - `stats_contributions`: per case, what it last added to those rows (subtracted when it changes);
 * - `stats_state`: per city, the watermark (case changes up to it are folded).
 * The figures themselves are kept as JSON text (`json`): keys come from admins' data (element ids,
 * department keys) that need no escaping there, and the rows are read whole.
 */
import { Schema } from 'mongoose';

/** `day`: a China day `YYYY-MM-DD` or hour `YYYY-MM-DDTHH` of submission. */
export interface StatsRollupDoc { _id: string; tenant: string; day: string; matter: string; json: string }
export const statsRollupSchema = new Schema<StatsRollupDoc>({
  _id: String, tenant: String, day: String, matter: String, json: String,
}, { versionKey: false });
statsRollupSchema.index({ tenant: 1, day: 1 });

/** `hour` null: counts per department and due hour; a number (ms / 3600000): the tasks due in that hour, exactly. */
export interface StatsOpenDoc { _id: string; tenant: string; matter: string; hour: number | null; json: string }
export const statsOpenSchema = new Schema<StatsOpenDoc>({
  _id: String, tenant: String, matter: String, hour: { type: Number, default: null }, json: String,
}, { versionKey: false });
statsOpenSchema.index({ tenant: 1, hour: 1 });

export interface StatsContributionDoc {
  /** The case's id (hex). */
  _id: string;
  tenant: string;
  /** China hour of submission (`YYYY-MM-DDTHH`), when the case counts in a period. */
  hour: string | null;
  /** Open with a 承诺时限 (the caseDeadlines figure). */
  dl: boolean;
  json: string;
}
export const statsContributionSchema = new Schema<StatsContributionDoc>({
  _id: String, tenant: String, hour: { type: String, default: null }, dl: Boolean, json: String,
}, { versionKey: false });
statsContributionSchema.index({ tenant: 1, hour: 1 });
statsContributionSchema.index({ tenant: 1, dl: 1 });

export interface StatsStateDoc {
  /** The city. */
  _id: string;
  /** Every case change with `updatedAt` before it (less the overlap) is folded; null until the backfill ends. */
  watermark: Date | null;
  /** When the backfill began (the watermark it leaves behind). */
  backfillAt: Date | null;
  foldedAt: Date | null;
  /**
   * When the last fold that looked back the whole overlap (a sweep: first fold, then once a
   * minute) began. Kept here, not in the folder's memory: a process taking the lease over keeps
   * the schedule. Absent (older rows): the next fold sweeps.
   */
  sweptAt?: Date | null;
}
export const statsStateSchema = new Schema<StatsStateDoc>({
  _id: String, watermark: { type: Date, default: null }, backfillAt: { type: Date, default: null }, foldedAt: { type: Date, default: null },
  sweptAt: { type: Date, default: null },
}, { versionKey: false });
