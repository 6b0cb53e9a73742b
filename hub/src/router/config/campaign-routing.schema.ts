import { z } from 'zod';
import { weeklyScheduleSchema } from '../calendar/weekly-schedule.schema.js';
import { campaignHolidayCalendarSchema } from '../calendar/holidays.js';
import { AGENT_STATES, type AgentState, type ChannelClass } from '../core/router.types.js';
import { bilingual, parseWith, type ParseResult } from './routing-problem.js';

/**
 * Campaign-wide router settings (issue 3, items 2, 4, 8 and 10; seed digest §5.2 for billing).
 * Defaults are the issue's: 4 text sessions, a call takes the seat, RONA 20 s, auto-logout 10 min.
 */

/** Sessions per seat and class. Voice is a switch (0 = takes no calls), as in the core. */
export const CAPACITY_LIMITS = {
  text: { min: 1, max: 10, default: 4 },
  voice: { min: 0, max: 1, default: 1 },
  email: { min: 0, max: 50, default: 10 },
} as const satisfies Record<ChannelClass, { min: number; max: number; default: number }>;

const CLASS_NAMES_ES = { text: 'texto', voice: 'voz', email: 'correo' } as const satisfies Record<ChannelClass, string>;

/** The range message, shared with validate-routing so a stored row out of range reads the same. */
export function capacityRangeMessage(channelClass: ChannelClass): string {
  const { min, max } = CAPACITY_LIMITS[channelClass];
  return bilingual(`la capacidad de ${CLASS_NAMES_ES[channelClass]} debe ser un entero entre ${min} y ${max}`, `${channelClass} capacity must be an integer ${min}–${max}`);
}

function capacityField(channelClass: ChannelClass): z.ZodNumber {
  const { min, max } = CAPACITY_LIMITS[channelClass];
  const message = capacityRangeMessage(channelClass);
  return z.number().int(message).min(min, message).max(max, message);
}

export const channelCapacitySchema = z.strictObject({
  text: capacityField('text').default(CAPACITY_LIMITS.text.default),
  voice: capacityField('voice').default(CAPACITY_LIMITS.voice.default),
  email: capacityField('email').default(CAPACITY_LIMITS.email.default),
});
export type ChannelCapacity = z.output<typeof channelCapacitySchema>;

/**
 * A supervisor's per-agent override: only the classes given replace the campaign default, so
 * raising one agent's chats to 6 does not freeze their email capacity at today's default.
 */
export const agentCapacityOverrideSchema = z.strictObject({
  agentId: z.uuid(bilingual('el id de agente debe ser un UUID', 'agentId must be a UUID')),
  text: capacityField('text').optional(),
  voice: capacityField('voice').optional(),
  email: capacityField('email').optional(),
});
export type AgentCapacityOverride = z.output<typeof agentCapacityOverrideSchema>;

export function effectiveCapacity(campaignDefault: ChannelCapacity, override: Partial<Record<ChannelClass, number>> | undefined): ChannelCapacity {
  return {
    text: override?.text ?? campaignDefault.text,
    voice: override?.voice ?? campaignDefault.voice,
    email: override?.email ?? campaignDefault.email,
  };
}


function intIn(min: number, max: number, es: string, en: string): z.ZodNumber {
  const message = bilingual(es, en);
  return z.number().int(message).min(min, message).max(max, message);
}

/**
 * AT default (L2150–L2152): available and ACW are billable; "busy" (talk time) is derived from
 * load while available, so it bills with `available`. DyC, CMT and MPEC drop ACW (L7672, L5787).
 */
export const DEFAULT_BILLABLE_STATES: readonly AgentState[] = Object.freeze(['available', 'after_contact_work']);

export const campaignRoutingSchema = z.strictObject({
  capacity: channelCapacitySchema.prefault({}),
  /** Seconds an agent may stay in ACW before the router makes them available again; 0 = no ACW. */
  afterContactWorkMaxSeconds: intIn(0, 3600, 'el tiempo máximo de ACW debe estar entre 0 y 3600 s', 'ACW max must be 0–3600 s').default(120),
  autoAccept: z.boolean().default(false),
  offerTimeoutSeconds: intIn(5, 120, 'el tiempo para aceptar debe estar entre 5 y 120 s', 'offer timeout must be 5–120 s').default(20),
  autoLogoutMinutes: intIn(1, 240, 'el cierre de sesión por inactividad debe estar entre 1 y 240 min', 'auto-logout must be 1–240 min').default(10),
  /** Hours a returning contact prefers their previous agent; 0 turns sticky routing off. */
  stickyHours: intIn(0, 168, 'las horas de preferencia deben estar entre 0 (apagado) y 168', 'sticky hours must be 0 (off)–168').default(24),
  billableStates: z
    .array(z.enum(AGENT_STATES, { error: bilingual(`estado desconocido, use ${AGENT_STATES.join(', ')}`, `unknown state, use ${AGENT_STATES.join(', ')}`) }))
    .refine((states) => new Set(states).size === states.length, bilingual('estado repetido', 'duplicate state'))
    .default([...DEFAULT_BILLABLE_STATES]),
  schedule: weeklyScheduleSchema,
  holidays: campaignHolidayCalendarSchema,
});

export type CampaignRouting = z.output<typeof campaignRoutingSchema>;
export type CampaignRoutingInput = z.input<typeof campaignRoutingSchema>;

export function parseCampaignRouting(input: unknown): ParseResult<CampaignRouting> {
  return parseWith(campaignRoutingSchema, input);
}

export function parseAgentCapacityOverride(input: unknown): ParseResult<AgentCapacityOverride> {
  return parseWith(agentCapacityOverrideSchema, input);
}
