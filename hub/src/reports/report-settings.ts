import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import type { AhtDefinition } from '../kpi/formulas/aht.js';

/** The campaign's measuring rules the reports apply (sla_contracts; absent = the contract defaults). */
export interface ReportSettings {
  readonly campaignId: string;
  readonly campaignName: string;
  readonly timeZone: string;
  readonly serviceLevelThresholdMs: number;
  readonly serviceLevelDenominator: 'received' | 'attended';
  readonly shortAbandonThresholdMs: number;
  readonly ahtDefinition: AhtDefinition;
  readonly responseLimitMs: number;
}

export async function loadReportSettings(db: Kysely<Database>, campaignId: string): Promise<ReportSettings> {
  const row = await db
    .selectFrom('campaigns')
    .leftJoin('sla_contracts', 'sla_contracts.campaign_id', 'campaigns.id')
    .select([
      'campaigns.name',
      'campaigns.time_zone',
      'sla_contracts.service_level_threshold_seconds',
      'sla_contracts.service_level_denominator',
      'sla_contracts.short_abandon_threshold_seconds',
      'sla_contracts.aht_definition',
      'sla_contracts.response_limit_hours',
    ])
    .where('campaigns.id', '=', campaignId)
    .executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  return {
    campaignId,
    campaignName: row.name,
    timeZone: row.time_zone,
    // T&C defaults (seed-digest §6.2): 20 s, by attended, no short abandons, talk / attended, 13 h.
    serviceLevelThresholdMs: (row.service_level_threshold_seconds ?? 20) * 1000,
    serviceLevelDenominator: row.service_level_denominator ?? 'attended',
    shortAbandonThresholdMs: (row.short_abandon_threshold_seconds ?? 0) * 1000,
    ahtDefinition: row.aht_definition ?? 'talk',
    responseLimitMs: (row.response_limit_hours ?? 13) * 3_600_000,
  };
}

/** Queue and agent names for the tables (ids stay in the JSON for BI joins). */
export async function loadNames(db: Kysely<Database>, campaignId: string, agentIds: readonly string[] = []): Promise<{ queues: Map<string, string>; agents: Map<string, string> }> {
  const queues = await db.selectFrom('queues').select(['id', 'name']).where('campaign_id', '=', campaignId).execute();
  const uuids = agentIds.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  const agents = uuids.length === 0 ? [] : await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', uuids).execute();
  return { queues: new Map(queues.map((q) => [q.id, q.name])), agents: new Map(agents.map((a) => [a.id, a.display_name])) };
}

const CHANNEL_KIND_LABELS: Record<string, { es: string; en: string }> = {
  voice: { es: 'Teléfono', en: 'Phone' },
  webchat: { es: 'Chat web', en: 'Web chat' },
  email: { es: 'Correo electrónico', en: 'E-mail' },
  whatsapp: { es: 'WhatsApp', en: 'WhatsApp' },
  whatsapp_web: { es: 'WhatsApp Web', en: 'WhatsApp Web' },
  meta: { es: 'Messenger / Instagram', en: 'Messenger / Instagram' },
  x: { es: 'X', en: 'X' },
  sms: { es: 'SMS', en: 'SMS' },
  api: { es: 'API', en: 'API' },
};

/** The channel kind as people say it (Spanish; the raw kind stays in the row for BI tools). */
export function channelKindLabel(kind: string | null): string {
  if (kind === null) return 'Sin canal';
  return CHANNEL_KIND_LABELS[kind]?.es ?? kind;
}
