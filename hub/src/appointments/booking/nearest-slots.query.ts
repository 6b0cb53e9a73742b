/** The nearest free slots of a campaign (seed §9.2: the 10 nearest), read through the pool. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { FreeSlot } from '../rules/appointment-rules.types.js';
import { leadWindow } from '../rules/calendar-grid.js';
import { freeSlots } from '../rules/slots.js';
import { activeBetween } from './appointment-rows.js';
import { requireCalendar } from './calendar.store.js';

export interface NearestSlotsQuery {
  readonly serviceId: string;
  readonly officeId?: string;
  readonly roomId?: string;
  /** Default now (the search never starts before now + the minimum lead anyway). */
  readonly from?: Date;
  /** Default the campaign's `nearestSlots` (10). */
  readonly limit?: number;
  /** Default the clock; tests pass a fixed instant. */
  readonly now?: Date;
}

export async function nearestSlots(db: Kysely<Database>, campaignId: string, query: NearestSlotsQuery): Promise<FreeSlot[]> {
  const { calendar, rules } = await requireCalendar(db, campaignId);
  const now = query.now ?? new Date();
  const { earliestMs, latestMs } = leadWindow(rules, now.getTime());
  const fromMs = Math.max(earliestMs, query.from?.getTime() ?? earliestMs);
  const existing = await activeBetween(db, campaignId, fromMs, latestMs);
  return freeSlots(calendar, rules, existing, {
    serviceId: query.serviceId,
    ...(query.officeId === undefined ? {} : { officeId: query.officeId }),
    ...(query.roomId === undefined ? {} : { roomId: query.roomId }),
    from: new Date(fromMs),
    now,
    ...(query.limit === undefined ? {} : { limit: query.limit }),
  });
}
