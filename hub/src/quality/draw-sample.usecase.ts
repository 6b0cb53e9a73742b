import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { monthSpan } from '../kpi/formulas/intervals.js';
import { CONTRACT_QUALITY_SAMPLE } from '../kpi/formulas/quality.js';
import { drawSample } from './sampler.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface DrawInput {
  campaignId: string;
  channelKind: string;
  /** 'YYYY-MM' in the campaign's time zone. */
  month: string;
  /** The contractual N (default 100, T&C L10240); the KPI divides by it even when fewer exist. */
  sampleSize?: number;
  /** Stored with the sample so an auditor can redo the draw; random when not given. */
  seed?: string;
  /** Admin only: replace a sample nobody has evaluated yet. */
  redraw?: boolean;
}

export interface DrawActor {
  userId: string | null;
  /** 'scheduler' for the monthly job. */
  label?: string;
  ip?: string | null;
  userAgent?: string | null;
}

export interface DrawnSample {
  sampleId: string;
  campaignId: string;
  channelKind: string;
  month: string;
  sampleSize: number;
  population: number;
  drawn: number;
  seed: string;
  conversationIds: string[];
}

/**
 * Attended (answered) interactions of the campaign, channel kind and local month, in a fixed
 * order (answered_at, then id) so the same seed over the same population gives the same draw.
 * Facts come from the append-only events (kpi/facts); the join keeps only stored conversations.
 */
export async function samplingPopulation(db: Db, campaignId: string, channelKind: string, month: string, timeZone: string): Promise<string[]> {
  const { span } = monthSpan(month, timeZone);
  const rows = await db
    .selectFrom('kpi_contact_facts as f')
    .innerJoin('conversations as c', 'c.id', 'f.conversation_id')
    .select('f.conversation_id')
    .where('f.campaign_id', '=', campaignId)
    .where('f.channel_kind', '=', channelKind)
    .where('f.answered_at', '>=', new Date(span.startMs))
    .where('f.answered_at', '<', new Date(span.endMs))
    .orderBy('f.answered_at')
    .orderBy('f.conversation_id')
    .execute();
  return rows.map((r) => r.conversation_id);
}

/** Active quality analysts of the campaign, in a stable order (the round-robin order). */
export async function campaignAnalysts(db: Db, campaignId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_campaigns as uc', 'uc.user_id', 'u.id')
    .select('u.id')
    .where('uc.campaign_id', '=', campaignId)
    .where('u.disabled', '=', false)
    .where(sql<boolean>`'quality_analyst' = ANY(u.roles)`)
    .orderBy('u.id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The month's random sample (issue 9 item 8): uniformly at random without replacement from the
 * population (sampler.ts), all of it when it is smaller than N; items dealt round-robin to the
 * campaign's analysts. One sample per campaign, channel kind and month: a second draw is 409
 * (HUB_ERR_QUALITY_SAMPLE_EXISTS) unless `redraw` (admin) and nothing is evaluated yet.
 * Returns null when `skipExisting` and the sample exists (the scheduler, several processes).
 */
export async function drawMonthlySample(db: Kysely<Database>, input: DrawInput, actor: DrawActor, options: { skipExisting?: boolean } = {}): Promise<DrawnSample | null> {
  const sampleSize = input.sampleSize ?? CONTRACT_QUALITY_SAMPLE;
  if (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > 10_000) throw new HubError('HUB_ERR_VALIDATION', 'El tamaño de muestra debe ser un entero de 1 a 10000 / sample size must be an integer 1–10000');
  const seed = input.seed ?? randomBytes(16).toString('hex');
  return db.transaction().execute(async (trx) => {
    const campaign = await trx.selectFrom('campaigns').select(['id', 'time_zone']).where('id', '=', input.campaignId).executeTakeFirst();
    if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
    // One draw at a time per campaign: concurrent draws and re-draws queue here.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`quality-draw:${input.campaignId}`}))`.execute(trx);
    const existing = await trx
      .selectFrom('quality_samples')
      .select(['id', 'seed'])
      .where('campaign_id', '=', input.campaignId)
      .where('channel_kind', '=', input.channelKind)
      .where('month', '=', input.month)
      .executeTakeFirst();
    if (existing && options.skipExisting) return null;
    if (existing && !input.redraw) throw new HubError('HUB_ERR_QUALITY_SAMPLE_EXISTS', undefined, { sampleId: existing.id });
    if (existing) {
      const evaluated = await trx.selectFrom('quality_evaluations').select('id').where('sample_id', '=', existing.id).limit(1).executeTakeFirst();
      if (evaluated) throw new HubError('HUB_ERR_QUALITY_SAMPLE_EVALUATED', undefined, { sampleId: existing.id });
      await trx.deleteFrom('quality_samples').where('id', '=', existing.id).execute();
    }

    const population = await samplingPopulation(trx, input.campaignId, input.channelKind, input.month, campaign.time_zone);
    const chosen = drawSample(population, sampleSize, seed);
    const sample = await trx
      .insertInto('quality_samples')
      .values({ campaign_id: input.campaignId, channel_kind: input.channelKind, month: input.month, sample_size: sampleSize, population: population.length, seed, drawn_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const analysts = await campaignAnalysts(trx, input.campaignId);
    const now = new Date();
    if (chosen.length > 0) {
      await trx
        .insertInto('quality_sample_items')
        .values(
          chosen.map((conversationId, index) => {
            const analyst = analysts.length > 0 ? (analysts[index % analysts.length] ?? null) : null;
            return { sample_id: sample.id, conversation_id: conversationId, position: index + 1, analyst_id: analyst, assigned_at: analyst ? now : null };
          }),
        )
        .execute();
    }
    await recordAudit(trx, {
      action: existing ? 'quality_sample.redrawn' : 'quality_sample.drawn',
      actorUserId: actor.userId,
      actorLabel: actor.label ?? null,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      campaignId: input.campaignId,
      targetType: 'quality_sample',
      targetId: sample.id,
      details: { channelKind: input.channelKind, month: input.month, sampleSize, population: population.length, drawn: chosen.length, seed, analysts: analysts.length, ...(existing ? { replacedSampleId: existing.id, replacedSeed: existing.seed } : {}) },
    });
    return { sampleId: sample.id, campaignId: input.campaignId, channelKind: input.channelKind, month: input.month, sampleSize, population: population.length, drawn: chosen.length, seed, conversationIds: chosen };
  });
}

/**
 * Redoes a stored sample's draw from its seed over today's facts: what an auditor checks.
 * `matches` is false when the population changed since (late facts) or the items differ.
 */
export async function verifySample(db: Kysely<Database>, sampleId: string): Promise<{ matches: boolean; storedPopulation: number; population: number; redrawn: string[]; stored: string[] }> {
  const sample = await db
    .selectFrom('quality_samples as s')
    .innerJoin('campaigns as c', 'c.id', 's.campaign_id')
    .select(['s.id', 's.campaign_id', 's.channel_kind', 's.month', 's.sample_size', 's.population', 's.seed', 'c.time_zone'])
    .where('s.id', '=', sampleId)
    .executeTakeFirst();
  if (!sample) throw new HubError('HUB_ERR_NOT_FOUND', 'Muestra no encontrada / sample not found');
  const population = await samplingPopulation(db, sample.campaign_id, sample.channel_kind, sample.month, sample.time_zone);
  const redrawn = drawSample(population, sample.sample_size, sample.seed);
  const stored = (await db.selectFrom('quality_sample_items').select('conversation_id').where('sample_id', '=', sampleId).orderBy('position').execute()).map((r) => r.conversation_id);
  const matches = population.length === sample.population && redrawn.length === stored.length && redrawn.every((id, i) => id === stored[i]);
  return { matches, storedPopulation: sample.population, population: population.length, redrawn, stored };
}
