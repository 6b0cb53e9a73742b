/**
 * Appointments per office and local date by their current status (issue 11: booked / confirmed /
 * cancelled / attended / no-show), over a range of local dates of the calendar's zone. One GROUP BY
 * in PostgreSQL; the totals are the sum of the rows, so the file and the screen always add up.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppointmentStatusColumn } from '../../db/schema-appointments.js';
import { loadCalendar } from '../booking/calendar.store.js';
import { namesOf } from '../http/appointment-view.js';
import { DEFAULT_APPOINTMENT_TIME_ZONE } from '../rules/appointment-rules.types.js';

export interface StatusCounts {
  readonly booked: number;
  readonly confirmed: number;
  readonly cancelled: number;
  readonly attended: number;
  readonly noShow: number;
  readonly total: number;
}

export interface AppointmentReportRow extends StatusCounts {
  readonly date: string;
  readonly officeId: string;
  readonly officeName: string;
}

export interface AppointmentReport {
  readonly timeZone: string;
  readonly from: string;
  readonly to: string;
  readonly rows: readonly AppointmentReportRow[];
  readonly totals: StatusCounts;
}

const EMPTY: StatusCounts = { booked: 0, confirmed: 0, cancelled: 0, attended: 0, noShow: 0, total: 0 };

const FIELD: Record<AppointmentStatusColumn, keyof Omit<StatusCounts, 'total'>> = {
  booked: 'booked',
  confirmed: 'confirmed',
  cancelled: 'cancelled',
  attended: 'attended',
  no_show: 'noShow',
};

function add(counts: StatusCounts, status: AppointmentStatusColumn, n: number): StatusCounts {
  const field = FIELD[status];
  return { ...counts, [field]: counts[field] + n, total: counts.total + n };
}

/** `from` and `to` are local dates `YYYY-MM-DD`, inclusive (the caller checks the range). */
export async function appointmentReport(db: Kysely<Database>, campaignId: string, from: string, to: string): Promise<AppointmentReport> {
  const loaded = await loadCalendar(db, campaignId);
  const names = namesOf(loaded?.calendar);
  const grouped = await db
    .selectFrom('appointments')
    .select(['office_id', 'status'])
    .select([sql<string>`local_date::text`.as('date'), (eb) => eb.fn.countAll<string>().as('n')])
    .where('campaign_id', '=', campaignId)
    .where(sql<boolean>`local_date between ${from}::date and ${to}::date`)
    .groupBy([sql`local_date`, 'office_id', 'status'])
    .execute();

  const byKey = new Map<string, { date: string; officeId: string; counts: StatusCounts }>();
  let totals = EMPTY;
  for (const g of grouped) {
    const n = Number(g.n);
    const key = `${g.date}|${g.office_id}`;
    const entry = byKey.get(key) ?? { date: g.date, officeId: g.office_id, counts: EMPTY };
    byKey.set(key, { ...entry, counts: add(entry.counts, g.status, n) });
    totals = add(totals, g.status, n);
  }
  // Offices in the calendar's order (as the agent knows them), unknown ones after, by id.
  const officeOrder = new Map((loaded?.calendar.offices ?? []).map((o, i) => [o.id, i]));
  const rank = (id: string): number => officeOrder.get(id) ?? Number.MAX_SAFE_INTEGER;
  const rows = [...byKey.values()]
    .sort((a, b) => a.date.localeCompare(b.date) || rank(a.officeId) - rank(b.officeId) || a.officeId.localeCompare(b.officeId))
    .map((e) => ({ date: e.date, officeId: e.officeId, officeName: names.office(e.officeId), ...e.counts }));
  return { timeZone: loaded?.calendar.timeZone ?? DEFAULT_APPOINTMENT_TIME_ZONE, from, to, rows, totals };
}
