import { AGENT_STATES, CAPACITY_LIMITS, CHANNEL_CLASSES, ROUTING_RANGES, type AgentStateName, type ChannelClass } from './admin-limits.js';
import type { CampaignRouting } from './admin-types.js';
import { checkInt, parseIntStrict, type ClientProblems } from './form-problems.js';
import { formToHolidays, holidaysToForm, validateHolidays, type HolidaysForm } from './holidays-form.js';
import { formToSchedule, scheduleToForm, validateSchedule, type ScheduleForm } from './schedule-form.js';

/** Campaign routing settings (PUT /campaigns/:id/routing replaces them all) as an editable form. */

export type RoutingNumberField = keyof typeof ROUTING_RANGES;

export interface RoutingForm {
  capacity: Record<ChannelClass, string>;
  numbers: Record<RoutingNumberField, string>;
  autoAccept: boolean;
  billableStates: AgentStateName[];
  schedule: ScheduleForm;
  holidays: HolidaysForm;
}

export const ROUTING_NUMBER_FIELDS = Object.keys(ROUTING_RANGES) as RoutingNumberField[];

export function routingToForm(routing: CampaignRouting): RoutingForm {
  return {
    capacity: { text: String(routing.capacity.text), voice: String(routing.capacity.voice), email: String(routing.capacity.email) },
    numbers: Object.fromEntries(ROUTING_NUMBER_FIELDS.map((f) => [f, String(routing[f])])) as Record<RoutingNumberField, string>,
    autoAccept: routing.autoAccept,
    billableStates: AGENT_STATES.filter((s) => routing.billableStates.includes(s)),
    schedule: scheduleToForm(routing.schedule),
    holidays: holidaysToForm(routing.holidays),
  };
}

const int = (text: string) => parseIntStrict(text) ?? Number.NaN;

export function formToRouting(form: RoutingForm): CampaignRouting {
  return {
    capacity: { text: int(form.capacity.text), voice: int(form.capacity.voice), email: int(form.capacity.email) },
    afterContactWorkMaxSeconds: int(form.numbers.afterContactWorkMaxSeconds),
    autoAccept: form.autoAccept,
    offerTimeoutSeconds: int(form.numbers.offerTimeoutSeconds),
    autoLogoutMinutes: int(form.numbers.autoLogoutMinutes),
    stickyHours: int(form.numbers.stickyHours),
    billableStates: AGENT_STATES.filter((s) => form.billableStates.includes(s)),
    schedule: formToSchedule(form.schedule),
    holidays: formToHolidays(form.holidays),
  };
}

export function validateRoutingForm(form: RoutingForm, isTimeZone: (zone: string) => boolean): ClientProblems {
  const problems: ClientProblems = {};
  for (const c of CHANNEL_CLASSES) {
    const p = checkInt(form.capacity[c], CAPACITY_LIMITS[c].min, CAPACITY_LIMITS[c].max);
    if (p) problems[`capacity.${c}`] = p;
  }
  for (const f of ROUTING_NUMBER_FIELDS) {
    const p = checkInt(form.numbers[f], ROUTING_RANGES[f].min, ROUTING_RANGES[f].max);
    if (p) problems[f] = p;
  }
  return { ...problems, ...validateSchedule(form.schedule, isTimeZone), ...validateHolidays(form.holidays) };
}

/** Whether the browser knows the IANA zone (Intl throws on an unknown one). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
