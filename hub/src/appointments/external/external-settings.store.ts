/**
 * A campaign's external scheduling settings: mode, the institution's base URL, the shared HMAC
 * secret (typed by an admin, stored like channel secrets: never returned, only "set / not set"),
 * the timeout. Saving is audited (`appointment.external_configured`, without the secret). Switching
 * into `mirror` (or `source_of_truth`) starts the outbox at the newest history event: what was booked
 * before is pushed by the next reconciliation (it finds it `missing_remote`).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import type { ExternalSchedulingMode } from '../../db/schema-appointment-external.js';
import { HubError } from '../../errors/error-registry.js';
import { bilingual, pathOf } from '../../router/config/routing-problem.js';
import { RestSchedulingProvider } from './rest-scheduling.provider.js';
import { builtinProvider, type SchedulingProvider } from './scheduling-provider.js';

export const EXTERNAL_MODES = ['builtin', 'source_of_truth', 'mirror'] as const;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const baseUrlSchema = z
  .url(bilingual('use una URL completa', 'use a full URL'))
  .max(500)
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  }, bilingual('la URL debe usar https (http solo en la misma máquina)', 'the URL must use https (http only on the same machine)'));

export const externalSettingsInputSchema = z.strictObject({
  mode: z.enum(EXTERNAL_MODES),
  baseUrl: baseUrlSchema.nullish(),
  /** Omitted = keep the stored one. */
  secret: z.string().min(32, bilingual('el secreto tiene al menos 32 caracteres', 'the secret has at least 32 characters')).max(500).optional(),
  timeoutMs: z.number().int().min(500).max(15_000).optional(),
});

export interface ExternalSettings {
  readonly campaignId: string;
  readonly mode: ExternalSchedulingMode;
  readonly baseUrl: string | null;
  readonly secret: string | null;
  readonly timeoutMs: number;
  readonly updatedAt: Date | null;
}

export interface ExternalSettingsView {
  campaignId: string;
  mode: ExternalSchedulingMode;
  baseUrl: string | null;
  timeoutMs: number;
  secretSet: boolean;
  updatedAt: string | null;
}

const DEFAULT_TIMEOUT_MS = 5000;

type Db = Kysely<Database> | Transaction<Database>;

export async function loadExternalSettings(db: Db, campaignId: string): Promise<ExternalSettings> {
  const row = await db.selectFrom('appointment_external_settings').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst();
  if (!row) return { campaignId, mode: 'builtin', baseUrl: null, secret: null, timeoutMs: DEFAULT_TIMEOUT_MS, updatedAt: null };
  return { campaignId, mode: row.mode, baseUrl: row.base_url, secret: row.secret, timeoutMs: row.timeout_ms, updatedAt: row.updated_at };
}

export function viewOf(settings: ExternalSettings): ExternalSettingsView {
  return {
    campaignId: settings.campaignId,
    mode: settings.mode,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutMs,
    secretSet: settings.secret !== null,
    updatedAt: settings.updatedAt?.toISOString() ?? null,
  };
}

/** The provider of these settings; `fetchImpl` only for callers that bring their own transport. */
export function providerFor(settings: ExternalSettings, fetchImpl: typeof fetch = fetch): SchedulingProvider {
  if (settings.mode === 'builtin' || settings.baseUrl === null || settings.secret === null) return builtinProvider;
  return new RestSchedulingProvider({ baseUrl: settings.baseUrl, secret: settings.secret, timeoutMs: settings.timeoutMs }, fetchImpl);
}

export interface SettingsActor {
  readonly userId: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export async function saveExternalSettings(db: Kysely<Database>, campaignId: string, rawInput: unknown, actor: SettingsActor): Promise<ExternalSettings> {
  const parsed = externalSettingsInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw new HubError('HUB_ERR_VALIDATION', undefined, { problems: parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message })) });
  }
  const input = parsed.data;
  const campaign = await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');

  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('appointment_external_settings').selectAll().where('campaign_id', '=', campaignId).forUpdate().executeTakeFirst();
    const baseUrl = input.baseUrl === undefined ? (before?.base_url ?? null) : input.baseUrl;
    const secret = input.secret ?? before?.secret ?? null;
    const timeoutMs = input.timeoutMs ?? before?.timeout_ms ?? DEFAULT_TIMEOUT_MS;
    if (input.mode !== 'builtin') {
      const problems = [
        ...(baseUrl === null ? [{ path: 'baseUrl', message: bilingual('indique la URL del sistema de la institución', "give the institution's system URL") }] : []),
        ...(secret === null ? [{ path: 'secret', message: bilingual('indique el secreto compartido para firmar', 'give the shared signing secret') }] : []),
      ];
      if (problems.length > 0) throw new HubError('HUB_ERR_VALIDATION', problems.map((p) => p.message).join(' · '), { problems });
    }
    const now = new Date();
    const values = { mode: input.mode, base_url: baseUrl, secret, timeout_ms: timeoutMs, updated_by: actor.userId, updated_at: now };
    await trx
      .insertInto('appointment_external_settings')
      .values({ campaign_id: campaignId, ...values })
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet(values))
      .execute();
    // The outbox pushes from now on: everything in mirror mode, status changes in source_of_truth mode.
    if (input.mode !== 'builtin' && before?.mode !== input.mode) await startMirrorAtNewestEvent(trx, campaignId);
    await recordAudit(trx, {
      action: 'appointment.external_configured',
      actorUserId: actor.userId,
      targetType: 'campaign',
      targetId: campaignId,
      campaignId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: {
        from: before?.mode ?? 'builtin',
        to: input.mode,
        baseUrl,
        timeoutMs,
        secretChanged: input.secret !== undefined,
      },
    });
    return { campaignId, mode: input.mode, baseUrl, secret, timeoutMs, updatedAt: now };
  });
}

async function startMirrorAtNewestEvent(trx: Transaction<Database>, campaignId: string): Promise<void> {
  const newest = await sql<{ id: string | null }>`SELECT max(id)::text AS id FROM appointment_events`.execute(trx);
  const lastEventId = newest.rows[0]?.id ?? '0';
  const values = {
    last_event_id: lastEventId,
    gap_event_id: null,
    gap_seen_at: null,
    failing_event_id: null,
    attempts: 0,
    next_attempt_at: null,
    last_error: null,
    updated_at: new Date(),
  };
  await trx
    .insertInto('appointment_mirror_cursors')
    .values({ campaign_id: campaignId, ...values })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet(values))
    .execute();
}
