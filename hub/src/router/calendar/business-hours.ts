import { type CampaignHolidayCalendar, isHoliday, isIsoDate, lastExplicitDate } from './holidays.js';
import { DAY_MS, MINUTE_MS, instantsAtWall, isoDateOf, localDayOf, offsetChangesBetween, wallAt, weekdayOf } from './local-time.js';
import { minutesOf, type OpeningInterval, type WeeklySchedule } from './weekly-schedule.schema.js';

export { weeklyScheduleSchema, type OpeningInterval, type WeeklySchedule } from './weekly-schedule.schema.js';

/** [open, close) in minutes after local midnight. */
type MinuteRange = { open: number; close: number };

const FULL_DAY = 24 * 60;
const WEEK_MS = 7 * DAY_MS;
/**
 * How far a search for the next opening/closing looks before answering "never". Holiday rules
 * repeat yearly, except the six-yearly art. 74 fr. VII day, so eight years past the calendar's
 * last explicit date covers every combination that can still occur.
 */
const HOLIDAY_SEARCH_MS = 8 * 366 * DAY_MS;
/** Without holidays only the weekly pattern matters: one week, plus slack for DST shifts. */
const WEEKLY_SEARCH_MS = 15 * DAY_MS;

function toRanges(intervals: readonly OpeningInterval[]): MinuteRange[] {
  return intervals.map(({ open, close }) => {
    const range = { open: minutesOf(open), close: minutesOf(close) };
    // Also false for NaN: the schedule skipped weeklyScheduleSchema.
    if (!(range.open < range.close)) {
      throw new RangeError(`Intervalo inválido / invalid interval ${open}–${close} (validate with weeklyScheduleSchema)`);
    }
    return range;
  });
}

function coversWholeDay(ranges: readonly MinuteRange[]): boolean {
  let reached = 0;
  for (const range of [...ranges].sort((a, b) => a.open - b.open)) {
    if (range.open > reached) return false;
    reached = Math.max(reached, range.close);
  }
  return reached === FULL_DAY;
}

function toInstant(value: Date): number {
  const instant = value.getTime();
  if (Number.isNaN(instant)) throw new RangeError('Fecha inválida / invalid Date');
  return instant;
}

/**
 * Evaluation context of one call: memoises each local day's window so that scans, which probe
 * the same days many times, parse the schedule and query the calendar once per day.
 */
class ScheduleView {
  private readonly windows = new Map<number, MinuteRange[]>();

  constructor(
    readonly schedule: WeeklySchedule,
    readonly calendar: CampaignHolidayCalendar,
  ) {}

  /** The intervals that apply on a local day (days since 1970-01-01 on the wall clock). */
  windowOf(localDay: number): MinuteRange[] {
    let window = this.windows.get(localDay);
    if (!window) {
      window = this.computeWindow(localDay);
      this.windows.set(localDay, window);
    }
    return window;
  }

  private computeWindow(localDay: number): MinuteRange[] {
    const { schedule, calendar } = this;
    if (!isHoliday(calendar, isoDateOf(localDay))) return toRanges(schedule.days[weekdayOf(localDay)]);
    const previous = localDay - 1;
    if (
      schedule.holidaysAfterOvernightShift &&
      !isHoliday(calendar, isoDateOf(previous)) &&
      toRanges(schedule.days[weekdayOf(previous)]).some((range) => range.close === FULL_DAY)
    ) {
      return toRanges(schedule.holidaysAfterOvernightShift);
    }
    return schedule.holidays === 'closed' ? [] : toRanges(schedule.holidays);
  }

  openAt(instant: number): boolean {
    const wall = wallAt(this.schedule.timeZone, instant);
    const localDay = Math.floor(wall / DAY_MS);
    const sinceMidnight = wall - localDay * DAY_MS;
    return this.windowOf(localDay).some((r) => r.open * MINUTE_MS <= sinceMidnight && sinceMidnight < r.close * MINUTE_MS);
  }

  /**
   * Sorted instants in (from, to] where being open can change: every instant whose wall clock
   * shows an interval edge or midnight, plus every offset change (a spring-forward jump can skip
   * an edge; a fall-back repeats one). Between two consecutive ones the state is constant, and
   * intervals are half-open, so the state on [c(i), c(i+1)) is openAt(c(i)).
   */
  boundaries(from: number, to: number): number[] {
    const { timeZone } = this.schedule;
    const firstDay = Math.floor(wallAt(timeZone, from) / DAY_MS) - 1;
    const lastDay = Math.floor(wallAt(timeZone, to) / DAY_MS) + 1;
    const found = new Set<number>(offsetChangesBetween(timeZone, from, to));
    for (let day = firstDay; day <= lastDay; day += 1) {
      const edges = new Set<number>([0]);
      for (const range of this.windowOf(day)) edges.add(range.open).add(range.close);
      for (const minute of edges) {
        for (const instant of instantsAtWall(timeZone, day * DAY_MS + minute * MINUTE_MS)) {
          if (instant > from && instant <= to) found.add(instant);
        }
      }
    }
    return [...found].sort((a, b) => a - b);
  }

  /** Whether no holiday can fall on or after `localDay`, so the weekly pattern alone decides. */
  private holidaysPossibleFrom(localDay: number): boolean {
    const { calendar } = this;
    const date = isoDateOf(localDay);
    return calendar.base === 'lft74' || (calendar.annual?.length ?? 0) > 0 || calendar.extra.some((h) => h.date >= date);
  }

  /** The state can never become `wanted` (answers "never" without scanning years). */
  private provablyNever(wanted: boolean): boolean {
    const { schedule } = this;
    const weekly = Object.values(schedule.days).map(toRanges);
    const all = [...weekly, schedule.holidays === 'closed' ? [] : toRanges(schedule.holidays)];
    // The overnight window can only apply after a day that runs to 24:00.
    if (schedule.holidaysAfterOvernightShift && weekly.some((ranges) => ranges.some((r) => r.close === FULL_DAY))) {
      all.push(toRanges(schedule.holidaysAfterOvernightShift));
    }
    return wanted ? all.every((ranges) => ranges.length === 0) : all.every(coversWholeDay);
  }

  /** First instant ≥ `start` whose state is `wanted`, or null if none within the search horizon. */
  firstInstantWith(wanted: boolean, start: number): number | null {
    if (this.openAt(start) === wanted) return start;
    if (this.provablyNever(wanted)) return null;
    const startDay = Math.floor(wallAt(this.schedule.timeZone, start) / DAY_MS);
    const last = lastExplicitDate(this.calendar);
    const horizon = this.holidaysPossibleFrom(startDay - 1)
      ? Math.max(start, last && isIsoDate(last) ? localDayOf(last) * DAY_MS + 2 * DAY_MS : start) + HOLIDAY_SEARCH_MS
      : start + WEEKLY_SEARCH_MS;
    for (let from = start; from < horizon; from += WEEK_MS) {
      for (const candidate of this.boundaries(from, Math.min(from + WEEK_MS, horizon))) {
        if (this.openAt(candidate) === wanted) return candidate;
      }
    }
    return null;
  }
}

/** Whether the campaign/channel is in service at `instant`. */
export function isOpenAt(schedule: WeeklySchedule, calendar: CampaignHolidayCalendar, instant: Date): boolean {
  return new ScheduleView(schedule, calendar).openAt(toInstant(instant));
}

/**
 * The earliest instant at or after `instant` when service is open: `instant` itself when already
 * open. Null when the schedule never opens again.
 */
export function nextOpeningAfter(schedule: WeeklySchedule, calendar: CampaignHolidayCalendar, instant: Date): Date | null {
  const found = new ScheduleView(schedule, calendar).firstInstantWith(true, toInstant(instant));
  return found === null ? null : new Date(found);
}

/**
 * The earliest instant at or after `instant` when service is closed: `instant` itself when already
 * closed. Null when it never closes (24×7×365). Intervals that touch across midnight
 * (Mon 07:00–24:00, Tue 00:00–24:00) are one continuous opening.
 */
export function nextClosingAfter(schedule: WeeklySchedule, calendar: CampaignHolidayCalendar, instant: Date): Date | null {
  const found = new ScheduleView(schedule, calendar).firstInstantWith(false, toInstant(instant));
  return found === null ? null : new Date(found);
}

/** Exact open time in [from, to), in milliseconds (integer, so sums over sub-ranges are exact). */
export function openMillisecondsBetween(schedule: WeeklySchedule, calendar: CampaignHolidayCalendar, from: Date, to: Date): number {
  const start = toInstant(from);
  const end = toInstant(to);
  if (end < start) throw new RangeError('"to" debe ser posterior a "from" / "to" must not be before "from"');
  const view = new ScheduleView(schedule, calendar);
  const points = [start, ...view.boundaries(start, end).filter((instant) => instant < end), end];
  let total = 0;
  for (let i = 0; i + 1 < points.length; i += 1) {
    const pieceStart = points[i];
    const pieceEnd = points[i + 1];
    if (pieceStart !== undefined && pieceEnd !== undefined && view.openAt(pieceStart)) total += pieceEnd - pieceStart;
  }
  return total;
}

/**
 * Open minutes in [from, to) (fractional: billing counts "minutos con segundos", L14030). The
 * availability and billing windows of §2.5 are measured with this.
 */
export function openMinutesBetween(schedule: WeeklySchedule, calendar: CampaignHolidayCalendar, from: Date, to: Date): number {
  return openMillisecondsBetween(schedule, calendar, from, to) / MINUTE_MS;
}

/** The intervals that apply on a local date (YYYY-MM-DD), e.g. to show "hoy: 07:00–22:00". */
export function serviceWindowOn(schedule: WeeklySchedule, calendar: CampaignHolidayCalendar, localDate: string): OpeningInterval[] {
  if (!isIsoDate(localDate)) throw new RangeError(`Fecha inválida / invalid date: ${localDate}`);
  const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return new ScheduleView(schedule, calendar)
    .windowOf(localDayOf(localDate))
    .map((range) => ({ open: hhmm(range.open), close: hhmm(range.close) }));
}
