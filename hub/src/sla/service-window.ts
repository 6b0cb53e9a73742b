import { nextClosingAfter, nextOpeningAfter, type WeeklySchedule } from '../router/calendar/business-hours.js';
import type { CampaignHolidayCalendar } from '../router/calendar/holidays.js';
import type { TimeSpan } from '../kpi/formulas/availability.js';

/**
 * The campaign's service window inside [from, to) as instant spans, walked with the router
 * calendar's own opening/closing search (weekly schedule, holidays, DST), so availability and
 * routing agree on when the service was due to be open.
 */
export function serviceWindowSpans(schedule: WeeklySchedule, calendar: CampaignHolidayCalendar, span: TimeSpan): TimeSpan[] {
  const spans: TimeSpan[] = [];
  let cursor = span.startMs;
  while (cursor < span.endMs) {
    const open = nextOpeningAfter(schedule, calendar, new Date(cursor));
    if (open === null || open.getTime() >= span.endMs) break;
    const close = nextClosingAfter(schedule, calendar, open);
    const endMs = close === null ? span.endMs : Math.min(close.getTime(), span.endMs);
    spans.push({ startMs: open.getTime(), endMs });
    cursor = endMs;
  }
  return spans;
}
