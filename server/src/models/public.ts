/**
 * Rate limits of the routes anyone may call (services/public-progress.ts): one counter per
 * client address and fixed window, forgotten after the window (TTL index).
 */
import { Schema } from 'mongoose';

export interface PublicThrottleDoc {
  _id: string; // `<route>:<address>:<window start ms>`
  count: number;
  expiresAt: Date;
}

export const publicThrottleSchema = new Schema<PublicThrottleDoc>({
  _id: { type: String, required: true },
  count: { type: Number, default: 0 },
  expiresAt: { type: Date, required: true },
}, { versionKey: false });
publicThrottleSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
