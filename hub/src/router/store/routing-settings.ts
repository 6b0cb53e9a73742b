import type { Kysely, Transaction } from 'kysely';
import type { Database, Queue } from '../../db/schema.js';
import { demoHolidayCalendars } from '../calendar/demo-schedules.js';
import type { WeeklySchedule } from '../calendar/weekly-schedule.schema.js';
import { campaignRoutingSchema, type CampaignRouting } from '../config/campaign-routing.schema.js';
import { queueConfigSchema, type AfterHours, type QueueConfig } from '../config/queue-config.schema.js';
import type { ChannelClass, SkillRequirement } from '../core/router.types.js';

/**
 * Reading the stored routing configuration (campaigns.routing, queues + queue_skills) into the
 * typed shapes of router/config. Rows were validated on write (router/http); a row that no longer
 * parses (edited by hand) falls back to defaults field by field rather than stopping the router.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** Open all week, holidays included: nothing closes until an administrator sets the hours. */
export const DEFAULT_SCHEDULE: WeeklySchedule = Object.freeze({
  timeZone: 'America/Mexico_City',
  days: {
    mon: [{ open: '00:00', close: '24:00' }],
    tue: [{ open: '00:00', close: '24:00' }],
    wed: [{ open: '00:00', close: '24:00' }],
    thu: [{ open: '00:00', close: '24:00' }],
    fri: [{ open: '00:00', close: '24:00' }],
    sat: [{ open: '00:00', close: '24:00' }],
    sun: [{ open: '00:00', close: '24:00' }],
  },
  holidays: [{ open: '00:00', close: '24:00' }],
});

export const DEFAULT_AFTER_HOURS: AfterHours = Object.freeze({
  mode: 'keep_queued',
  message: {
    es: 'Gracias por escribirnos. En este momento estamos fuera del horario de atención; conservamos su lugar y le responderemos en cuanto abramos.',
    en: 'Thank you for writing. We are outside our service hours; we keep your place and will answer as soon as we open.',
  },
});

export function parseStoredCampaignRouting(stored: unknown): CampaignRouting {
  const base = { schedule: DEFAULT_SCHEDULE, holidays: demoHolidayCalendars.lft74 };
  const input = stored !== null && typeof stored === 'object' ? { ...base, ...stored } : base;
  const parsed = campaignRoutingSchema.safeParse(input);
  return parsed.success ? parsed.data : campaignRoutingSchema.parse(base);
}

export async function loadCampaignRouting(db: Db, campaignIds: readonly string[]): Promise<Map<string, CampaignRouting>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await db.selectFrom('campaigns').select(['id', 'routing']).where('id', 'in', [...new Set(campaignIds)]).execute();
  return new Map(rows.map((r) => [r.id, parseStoredCampaignRouting(r.routing)]));
}

/** A queue as the router uses it: the stored row, its parsed configuration and requirements. */
export interface RoutingQueueRow {
  readonly id: string;
  readonly campaignId: string;
  readonly tier: 1 | 2;
  readonly isDefault: boolean;
  readonly config: QueueConfig;
}

export function queueConfigOf(row: Queue, requiredSkills: SkillRequirement[]): QueueConfig {
  const parsed = queueConfigSchema.safeParse({
    name: row.name,
    priority: row.priority,
    requiredSkills,
    strategy: row.strategy,
    maxWaitSeconds: row.max_wait_seconds ?? undefined,
    channelClasses: row.channel_classes,
    overflow: row.overflow,
    afterHours: row.after_hours ?? DEFAULT_AFTER_HOURS,
  });
  if (parsed.success) return parsed.data;
  return {
    name: row.name,
    priority: row.priority,
    requiredSkills,
    strategy: row.strategy,
    channelClasses: row.channel_classes as ChannelClass[],
    overflow: [],
    afterHours: DEFAULT_AFTER_HOURS,
  };
}

/** Queues of the given campaigns (all campaigns when omitted). */
export async function loadRoutingQueues(db: Db, campaignIds?: readonly string[]): Promise<Map<string, RoutingQueueRow>> {
  let query = db.selectFrom('queues').selectAll();
  if (campaignIds !== undefined) {
    if (campaignIds.length === 0) return new Map();
    query = query.where('campaign_id', 'in', [...new Set(campaignIds)]);
  }
  const rows = await query.execute();
  if (rows.length === 0) return new Map();
  const skills = await db
    .selectFrom('queue_skills')
    .select(['queue_id', 'skill_id', 'min_level'])
    .where(
      'queue_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('skill_id')
    .execute();
  const bySkill = new Map<string, SkillRequirement[]>();
  for (const s of skills) {
    const list = bySkill.get(s.queue_id) ?? [];
    list.push({ skillId: s.skill_id, minLevel: s.min_level });
    bySkill.set(s.queue_id, list);
  }
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, campaignId: row.campaign_id, tier: row.tier === 2 ? 2 : 1, isDefault: row.is_default, config: queueConfigOf(row, bySkill.get(row.id) ?? []) },
    ]),
  );
}

/** Seat type a queue's tier bills at (seed-digest §3.6: PS-I first level, PS-P second). */
export function seatTypeOfTier(tier: 1 | 2): 'PS-I' | 'PS-P' {
  return tier === 2 ? 'PS-P' : 'PS-I';
}

/** How a channel kind occupies a seat (router/core ChannelClass). */
export function channelClassOf(kind: string): ChannelClass {
  if (kind === 'voice' || kind.endsWith('_voice') || kind.startsWith('voice_')) return 'voice';
  if (kind === 'email' || kind.startsWith('email')) return 'email';
  return 'text';
}
