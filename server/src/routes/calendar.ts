/**
 * The province's working-day calendar (docs/deadlines.md 「Counting」): the operator enters a
 * year's holidays and 调休 (`/platform/calendar`); every signed-in user reads a year (the web's
 * deadline labels count with it).
 */
import type { CalendarYearInput } from '@lianban/runtime/contract';
import { MAX_CALENDAR_DAYS, MAX_CALENDAR_NAME } from '@lianban/runtime';
import { actorOf } from '../http/session';
import { bodyValidator } from '../http/validate';
import { calendarOverview, calendarYearView, parseYear, saveCalendarYear } from '../services/calendar';
import type { FeatureRoute } from './deps';

const yearBody = bodyValidator<CalendarYearInput>({
  type: 'object', required: ['days'],
  properties: {
    days: {
      type: 'array', maxItems: MAX_CALENDAR_DAYS,
      items: {
        type: 'object', required: ['date', 'kind', 'name'],
        properties: {
          date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
          kind: { type: 'string', enum: ['holiday', 'workday'] },
          name: { type: 'string', minLength: 1, maxLength: MAX_CALENDAR_NAME },
        },
      },
    },
  },
}, 'CalendarYearInput');

export const CALENDAR_ROUTES: FeatureRoute[] = [
  {
    method: 'get', path: '/platform/calendar', summary: '节假日安排：上一年至后两年，各年来源（软件包内置 / 已录入 / 未录入）及录入的日期', who: 'operator', answer: 'CalendarOverview',
    handler: async (ctx, { models }) => { ctx.body = await calendarOverview(models); },
  },
  {
    method: 'put', path: '/platform/calendar/:year', summary: '录入一年的节假日与调休上班日（整年替换；周末放假、工作日调休会提示；已生成的到期时间不变）', who: 'operator', body: 'CalendarYearInput', answer: 'CalendarYearSaved',
    handler: async (ctx, { models }) => {
      const year = parseYear(ctx.params.year!);
      ctx.body = await saveCalendarYear(models, actorOf(ctx), year, yearBody(ctx));
    },
  },
  {
    method: 'get', path: '/calendar/:year', summary: '某年的节假日安排（工作日计算所用）', who: 'signed-in', answer: 'CalendarYearView',
    handler: async (ctx, { models }) => { ctx.body = await calendarYearView(models, parseYear(ctx.params.year!)); },
  },
];
