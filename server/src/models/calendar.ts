/**
 * The province's working-day calendar: one document per year the operator entered
 * (`PUT /platform/calendar/:year`), `_id` the year. Every server process loads them into the
 * runtime's calendar (services/calendar.ts) and reloads when the newest `updatedAt` changes.
 */
import { Schema } from 'mongoose';

export interface CalendarDayDoc {
  /** YYYY-MM-DD */
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

export interface CalendarYearDoc {
  _id: number;
  days: CalendarDayDoc[];
  updatedBy: string;
  updatedAt: Date;
}

const daySchema = new Schema<CalendarDayDoc>({
  date: { type: String, required: true },
  kind: { type: String, enum: ['holiday', 'workday'], required: true },
  name: { type: String, required: true },
}, { _id: false });

export const calendarYearSchema = new Schema<CalendarYearDoc>({
  _id: Number,
  days: { type: [daySchema], default: [] },
  updatedBy: String,
  updatedAt: Date,
}, { versionKey: false });
// the processes' cheap check: the newest change
calendarYearSchema.index({ updatedAt: -1 });
